"""One scheduled retrain from start to end, the same for `movierec retrain` and `manage.py
retrain`: take the lock, get the site's ratings, stop quietly when too few are new, retrain,
gate, publish on a pass (or with force) and record the gate's figures with the new version.

The two callers differ only in where the ratings come from (a CSV given, or an export from the
site's database) and how a model is published (`publish_run`, or `publish_model`, which checks
the site's ratings first); they pass those in.
"""

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from movierec.retraining.gate import gated_figures
from movierec.retraining.lock import retrain_lock
from movierec.retraining.report import gate_table
from movierec.retraining.retrain import (
    default_run_folder,
    published_record,
    read_site_ratings,
    retrain,
)
from movierec.retraining.site_ratings import new_rating_count
from movierec.training.context import RunContext
from movierec.versions import live_target, record_gate

Export = Callable[[Path], tuple[Path | None, Path | None]]
"""Given a scratch folder, the site ratings CSV and the accounts CSV (either may be None)."""
Publish = Callable[[Path], list[str]]
"""Publish the model folder given at the link; the lines to report."""


class Outcome(Enum):
    """How a cycle ended: the callers turn it into an exit status."""

    NOTHING_NEW = "nothing new"
    PUBLISHED = "published"
    REFUSED = "refused"


@dataclass(frozen=True)
class Cycle:
    """What a retrain is asked to do, besides where the ratings come from."""

    link: Path
    """The published model's link: what is retrained from, and where a pass is published."""
    make_context: Callable[[Path], RunContext]
    """The run's context, given its folder (seed, threads, device, progress)."""
    force: bool = False
    """Publish even when the gate refuses the candidate."""
    min_new_ratings: int = 1
    """Stop quietly unless this many site ratings are newer than the published model's."""
    dataset: str | None = None
    """The prepared release; None: the one the published model's manifest names."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Hyperparameters over the published model's preset."""
    out: Path | None = None
    """The run folder; None: a new one under `$MOVIEREC_HOME/runs`."""


def run_cycle(cycle: Cycle, export: Export, publish: Publish,
              echo: Callable[[str], None]) -> Outcome:
    """Run `cycle` under the retrain lock (RetrainBusy when another holds it), saying what it
    does through `echo`."""
    with retrain_lock(), tempfile.TemporaryDirectory(prefix="movierec-retrain-") as scratch:
        record = published_record(cycle.link)
        started = time.perf_counter()
        site_ratings, site_users = export(Path(scratch))
        exported = time.perf_counter() - started
        new = new_rating_count(read_site_ratings(site_ratings), record.get("site_ratings"))
        if new < cycle.min_new_ratings:
            echo(f"nothing to retrain: {new} site ratings newer than the published model's "
                 f"(--min-new-ratings {cycle.min_new_ratings})")
            return Outcome.NOTHING_NEW
        folder = cycle.out or default_run_folder(cycle.dataset or record.get("dataset") or "")
        result = retrain(cycle.link, cycle.make_context(folder), site_ratings=site_ratings,
                         site_users=site_users, dataset=cycle.dataset,
                         overrides=cycle.overrides)
        for line in gate_table(result.verdict):
            echo(line)
        echo(f"report: {result.report}")
        steps = {"export": exported, **result.seconds}
        echo("took: " + ", ".join(f"{step} {value:.1f} s" for step, value in steps.items()))
        if not result.verdict.passed and not cycle.force:
            for reason in result.verdict.reasons:
                echo(f"  {reason}")
            echo("not published: the gate refused the candidate; the current model stays "
                 f"(publish it anyway with --force, or publish {result.model} by hand)")
            return Outcome.REFUSED
        started = time.perf_counter()
        for line in publish(result.model):
            echo(line)
        echo(f"published in {time.perf_counter() - started:.1f} s")
        version = live_target(cycle.link)
        if version is not None:
            record_gate(version, gated_figures(result.verdict))
        return Outcome.PUBLISHED
