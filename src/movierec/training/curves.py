"""The per-epoch record of a run: a JSON-lines log and a PNG of its curves (loss and RMSE for the
rating head, loss and recall for the ranking head)."""

import json
import math
from collections.abc import Sequence
from pathlib import Path

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
    Path(path).write_text("".join(_json_line(record) for record in history), encoding="utf-8")


def _json_line(record: dict[str, float]) -> str:
    """The record as a line of strict JSON: a figure that is inf or NaN (a part too small to
    measure) is written as null, which every JSON reader takes."""
    strict = {name: None if isinstance(value, float) and not math.isfinite(value) else value
              for name, value in record.items()}
    return json.dumps(strict, allow_nan=False) + "\n"


def plot_curves(path: Path, history: Sequence[dict[str, float]], title: str,
                panels: Sequence[tuple[str, str]] = RATING_PANELS) -> None:
    """Each panel's (metric, caption) per epoch for every part that has it, side by side, as a
    PNG."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers and in tests
    from matplotlib import pyplot

    epochs = [record["epoch"] for record in history]
    figure, axes = pyplot.subplots(1, len(panels), figsize=(5 * len(panels), 4),
                                   constrained_layout=True, squeeze=False)
    for axis, (metric, caption) in zip(axes[0], panels, strict=True):
        for part in PARTS:
            key = f"{part}_{metric}"
            if any(key in record for record in history):
                axis.plot(epochs, [record.get(key, float("nan")) for record in history],
                          marker="o", label=part)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.grid(alpha=0.3)
        axis.legend()
        axis.set_title(caption)
    figure.suptitle(title)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
