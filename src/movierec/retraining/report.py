"""The retrain report: the gate's table and decision, as markdown for people and JSON for tools,
written beside the run (`retrain-report.md`, `retrain-report.json`)."""

import json
import math
from pathlib import Path
from typing import Any

from movierec.atomic import atomic_file
from movierec.retraining.gate import LOWER_IS_BETTER, TOLERANCE, Verdict

REPORT_MARKDOWN = "retrain-report.md"
REPORT_JSON = "retrain-report.json"
SHOWN = ("rmse", "ndcg@10", "coverage@10", "accounts rmse", "accounts ndcg@10",
         "accounts coverage@10", "users evaluated", "ratings", "users known")
"""The table's rows, in order; the accounts' rows only inform, the gate reads the first three."""


def report_document(verdict: Verdict, facts: dict[str, Any]) -> dict[str, Any]:
    """The JSON report: the verdict, both models' figures, the tolerance and `facts` (the
    run, the published model, the data)."""
    return {
        "passed": verdict.passed,
        "reasons": verdict.reasons,
        "tolerance": TOLERANCE,
        "candidate": _strict(verdict.candidate),
        "current": _strict(verdict.current),
        **facts,
    }


def _strict(figures: dict[str, float]) -> dict[str, float | None]:
    """NaN (no account was evaluated) as null: strict JSON has no NaN."""
    return {name: None if math.isnan(value) else value for name, value in figures.items()}


def gate_table(verdict: Verdict) -> list[str]:
    """The figures side by side, one markdown table row a line."""
    lines = ["| metric | current | candidate | change | gate |", "|---|---:|---:|---:|---|"]
    for name in SHOWN:
        if name not in verdict.candidate or name not in verdict.current:
            continue
        new, old = verdict.candidate[name], verdict.current[name]
        change = "" if not old or math.isnan(old) else f"{(new - old) / old:+.1%}"
        gate = ""
        if name in TOLERANCE:
            sign = "+" if name in LOWER_IS_BETTER else "-"
            failed = any(reason.startswith(f"{name} ") for reason in verdict.reasons)
            gate = f"{'FAIL' if failed else 'ok'} (tolerance {sign}{TOLERANCE[name]:.0%})"
        lines.append(f"| {name} | {_shown(old)} | {_shown(new)} | {change} | {gate} |")
    return lines


def write_report(folder: Path, document: dict[str, Any], verdict: Verdict) -> Path:
    """Write both reports into `folder`; returns the markdown one's path."""
    decision = ("passed: the candidate may be published" if verdict.passed
                else "refused: the current model stays")
    lines = [
        f"# Retrain {document['run']}",
        "",
        f"Published model: {document['published']}. Site ratings used: "
        f"{document['site_ratings']['count']} ratings of {document['site_ratings']['accounts']} "
        f"accounts ({document['site_ratings']['unknown_movies']} left out: movies the release "
        f"lacks). Held out: the newest {document['held_out']['fraction']:.0%} of each user's "
        f"ratings ({document['held_out']['ratings']}); scored: the "
        f"{document['held_out']['scored']} of them the published model did not train on either.",
        "",
        *gate_table(verdict),
        "",
        f"Gate: {decision}.",
        *(f"- {reason}" for reason in verdict.reasons),
        "",
    ]
    with atomic_file(folder / REPORT_JSON) as staging:
        staging.write_text(json.dumps(document, indent=1) + "\n")
    with atomic_file(folder / REPORT_MARKDOWN) as staging:
        staging.write_text("\n".join(lines))
    return folder / REPORT_MARKDOWN


def _shown(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.0f}" if value == int(value) and value > 1 else f"{value:.4f}"
