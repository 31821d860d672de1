"""A RUN argument: a run folder's path, or the name of a run under `$MOVIEREC_HOME/runs`.

`movierec train` names its runs `<dataset>-<preset>-<time>` there, so a name (or the start of
one, as `movierec rollback` takes a version) saves typing the folder.
"""

from pathlib import Path

from movierec import paths
from movierec.errors import UsageError

SHOWN_RUNS = 10
"""Runs an error lists at most, the newest first; the rest are counted."""


def run_folder(given: str) -> Path:
    """The folder `given` names: an existing folder as given; else, for a bare name, the run of
    that name in `paths.runs_dir()`, or the only one whose name starts with it. UsageError
    saying what exists otherwise."""
    as_path = Path(given).expanduser()
    if as_path.is_dir() or len(as_path.parts) != 1:
        # A path (or a name that happens to be a folder here) is taken as it is; the report
        # says if it is no run.
        return as_path
    runs = _runs()
    exact = [run for run in runs if run.name == given]
    matching = exact or [run for run in runs if run.name.startswith(given)]
    if len(matching) == 1:
        return matching[0]
    if matching:
        raise UsageError(f"{given!r} begins several runs in {paths.runs_dir()}: "
                         f"{_names(matching)}; give more of the name")
    if not runs:
        raise UsageError(f"{given}: no such folder, and no runs in {paths.runs_dir()} yet; give "
                         "a run folder, or train one with `movierec train DATASET`")
    raise UsageError(f"{given}: no such folder or run; the runs in {paths.runs_dir()} are: "
                     f"{_names(runs)}")


def _runs() -> list[Path]:
    """The run folders, the most recently changed first. Dot names are staging folders."""
    folder = paths.runs_dir()
    if not folder.is_dir():
        return []
    runs = [child for child in folder.iterdir()
            if child.is_dir() and not child.name.startswith(".")]
    return sorted(runs, key=lambda run: (run.stat().st_mtime, run.name), reverse=True)


def _names(runs: list[Path]) -> str:
    shown = ", ".join(run.name for run in runs[:SHOWN_RUNS])
    hidden = len(runs) - SHOWN_RUNS
    return f"{shown} and {hidden} more" if hidden > 0 else shown
