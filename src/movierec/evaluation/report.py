"""The evaluation report of a run: `RUN/report/` with report.md, report.json and PNG figures.

The folder sits inside the model artifact. That is safe: `read_artifact` verifies only the files
its manifest lists, and the report is not one of them. It is written under a temporary name and
renamed into place, so a reader sees the old report or the new one, never half of either.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from movierec.atomic import atomic_folder
from movierec.errors import DataError, MovieRecError
from movierec.evaluation.model_eval import FORMAT
from movierec.evaluation.report_markdown import report_markdown
from movierec.evaluation.report_plots import matplotlib_available, write_plots
from movierec.run_log import read_history

REPORT_DIR = "report"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"


class ReportError(MovieRecError):
    """A run has no report yet, or its report.json is unreadable."""


def report_dir(run_dir: Path) -> Path:
    return Path(run_dir) / REPORT_DIR


def write_report(run_dir: Path, document: Mapping[str, Any]) -> Path:
    """Write the report of `document` into `run_dir`/report/; returns the markdown's path.

    The training curves come from `run_dir`/metrics.jsonl when present. Without matplotlib the
    report is written without figures and says so.
    """
    history = read_history(run_dir)
    destination = report_dir(run_dir)
    try:
        with atomic_folder(destination) as staging:
            plots = write_plots(document, history, staging) if matplotlib_available() else []
            markdown = report_markdown(document, history, plots)
            if not matplotlib_available():
                markdown += "\n(No figures: install matplotlib, `pip install movierec[train]`.)\n"
            (staging / REPORT_JSON).write_text(json.dumps(document, indent=1) + "\n")
            (staging / REPORT_MD).write_text(markdown, encoding="utf-8")
    except PermissionError as error:
        raise DataError(f"{destination}: cannot write the report ({error.strerror})") from None
    return destination / REPORT_MD


def read_report_document(run_dir: Path) -> dict[str, Any]:
    """The evaluation document stored in `run_dir`/report/report.json."""
    path = report_dir(run_dir) / REPORT_JSON
    if not Path(run_dir).is_dir():
        raise ReportError(f"{run_dir}: no such run folder")
    if not path.is_file():
        raise ReportError(
            f"{run_dir}: no report yet; make one with `movierec evaluate --model {run_dir}`"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReportError(f"{path}: unreadable ({error}); run `movierec evaluate` again") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReportError(f"{path}: not a movierec evaluation report")
    return document


def report_text(run_dir: Path, *, render: bool = False) -> str:
    """The run's report markdown; re-rendered (figures too) from report.json and metrics.jsonl
    when `render` is set or report.md is missing."""
    markdown = report_dir(run_dir) / REPORT_MD
    if not render and markdown.is_file():
        return markdown.read_text(encoding="utf-8")
    return write_report(run_dir, read_report_document(run_dir)).read_text(encoding="utf-8")
