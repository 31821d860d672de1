"""The per-epoch record of a run: a JSON-lines log and a PNG of its curves (loss and RMSE for the
rating head, loss and recall for the ranking head).

Training writes them; the evaluation report reads the log and draws the same curves. Nothing
here imports torch, so that the evaluation can use it.
"""

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from movierec.atomic import atomic_file

METRICS_LOG = "metrics.jsonl"
CURVES = "loss-curves.png"
RANKING_LOG = "ranking-metrics.jsonl"
RANKING_CURVES = "ranking-curves.png"
PARTS = ("train", "validation", "test")
RATING_PANELS = (("loss", "loss (train: with penalties, dropout on)"), ("rmse", "RMSE (clipped)"))
RANKING_PANELS = (("loss", "softmax loss (train)"),
                  ("recall@10", "recall@10 (1,000 test users, every rating counts)"))


def append_record(path: Path, record: dict[str, float]) -> None:
    """Add one epoch's record as a line of JSON."""
    with Path(path).open("a", encoding="utf-8") as stream:
        stream.write(_json_line(record))


def rewrite_log(path: Path, history: Sequence[dict[str, float]]) -> None:
    """Make the log say exactly `history` (on resume: drop lines of epochs the checkpoint
    does not have, which a crash between log and checkpoint can leave)."""
    with atomic_file(path) as staging:
        staging.write_text("".join(_json_line(record) for record in history), encoding="utf-8")


def read_history(run_dir: Path) -> list[dict[str, float]]:
    """The records of `run_dir`/metrics.jsonl, each with its numbers only; [] without one.

    A line that is not an epoch's record (one cut off by a crash mid-write) is skipped rather
    than failing the reader, and so is a figure written as null.
    """
    path = Path(run_dir) / METRICS_LOG
    if not path.is_file():
        return []
    history = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and _is_number(record.get("epoch")):
            history.append({name: float(value) for name, value in record.items()
                            if _is_number(value)})
    return history


def plot_curves(path: Path, history: Sequence[dict[str, float]], title: str,
                panels: Sequence[tuple[str, str]] = RATING_PANELS) -> None:
    """`draw_curves` into a PNG at `path`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5 * len(panels), 4), layout="constrained")
    FigureCanvasAgg(figure)
    draw_curves(figure, history, title, panels)
    with atomic_file(path) as staging:
        # The staging name ends in .partial: say the format rather than have it guessed.
        figure.savefig(staging, dpi=100, format="png")


def draw_curves(figure: Any, history: Sequence[dict[str, float]], title: str,
                panels: Sequence[tuple[str, str]] = RATING_PANELS) -> bool:
    """Each panel's (metric, caption) per epoch for every part that has it, side by side, on a
    matplotlib `figure`; False, drawing nothing, for an empty history."""
    if not history:
        return False
    epochs = [record["epoch"] for record in history]
    axes = figure.subplots(1, len(panels), squeeze=False)[0]
    for axis, (metric, caption) in zip(axes, panels, strict=True):
        for part in PARTS:
            key = f"{part}_{metric}"
            if any(key in record for record in history):
                axis.plot(epochs, [record.get(key, math.nan) for record in history],
                          marker="o", label=part)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.grid(alpha=0.3)
        axis.legend()
        axis.set_title(caption)
    figure.suptitle(title)
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_line(record: dict[str, float]) -> str:
    """The record as a line of strict JSON: a figure that is inf or NaN (a part too small to
    measure) is written as null, which every JSON reader takes."""
    strict = {name: None if isinstance(value, float) and not math.isfinite(value) else value
              for name, value in record.items()}
    return json.dumps(strict, allow_nan=False) + "\n"
