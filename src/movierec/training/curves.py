"""The per-epoch record of a run: a JSON-lines log and a PNG of the loss and RMSE curves."""

import json
from collections.abc import Sequence
from pathlib import Path

METRICS_LOG = "metrics.jsonl"
CURVES = "loss-curves.png"
PARTS = ("train", "validation", "test")


def append_record(path: Path, record: dict[str, float]) -> None:
    """Add one epoch's record as a line of JSON."""
    with Path(path).open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(record) + "\n")


def rewrite_log(path: Path, history: Sequence[dict[str, float]]) -> None:
    """Make the log say exactly `history` (on resume: drop lines of epochs the checkpoint
    does not have, which a crash between log and checkpoint can leave)."""
    Path(path).write_text("".join(json.dumps(record) + "\n" for record in history),
                          encoding="utf-8")


def plot_curves(path: Path, history: Sequence[dict[str, float]], title: str) -> None:
    """Loss and RMSE per epoch for every part that has them, side by side, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on servers and in tests
    from matplotlib import pyplot

    epochs = [record["epoch"] for record in history]
    figure, axes = pyplot.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for axis, metric in zip(axes, ("loss", "rmse"), strict=True):
        for part in PARTS:
            key = f"{part}_{metric}"
            if any(key in record for record in history):
                axis.plot(epochs, [record.get(key, float("nan")) for record in history],
                          marker="o", label=part)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.grid(alpha=0.3)
        axis.legend()
    axes[0].set_title("loss (train: with penalties, dropout on)")
    axes[1].set_title("RMSE (clipped)")
    figure.suptitle(title)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
