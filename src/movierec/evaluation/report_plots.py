"""The report's PNG figures, drawn with matplotlib's Agg canvas.

Figures are built on `matplotlib.figure.Figure` with an explicit Agg canvas, never through
pyplot: no global backend is switched, no window can open, and nothing leaks between calls.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from movierec.evaluation.model_eval import MODEL
from movierec.run_log import METRICS_LOG, draw_curves

RATING_METRICS = (("rmse", "RMSE"), ("mae", "MAE"))
RANKING_METRICS = (
    ("precision", "precision"), ("recall", "recall"), ("ndcg", "NDCG"), ("map", "MAP"),
    ("hit_rate", "hit rate"), ("coverage", "coverage"), ("mean_popularity", "mean popularity"),
)
MODEL_COLOUR = "#d62728"
BASELINE_COLOUR = "#7f7f7f"
REFERENCE_COLOUR = "#1f77b4"


def matplotlib_available() -> bool:
    """Whether plots can be drawn (matplotlib comes with the `train` extra)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def write_plots(
    document: Mapping[str, Any], history: list[dict[str, float]], folder: Path
) -> list[str]:
    """Draw every figure the data allows into `folder`; the file names written, in order."""
    drawers = (
        ("loss_curves.png", (10, 4.5),
         lambda figure: draw_curves(figure, history, f"Training curves ({METRICS_LOG})")),
        ("rating_error.png", (9, 3.5), lambda figure: _bars(figure, document, RATING_METRICS)),
        ("top_k.png", (11, 6), lambda figure: _bars(figure, document, RANKING_METRICS)),
        ("error_by_activity.png", (9, 4.5), lambda figure: _activity(figure, document)),
        ("new_users.png", (7, 4.5), lambda figure: _new_users(figure, document)),
    )
    written = []
    for name, size, draw in drawers:
        figure = _figure(size)
        if draw(figure):
            figure.savefig(Path(folder) / name, dpi=110)
            written.append(name)
    return written


def _figure(size: tuple[float, float]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _new_users(figure: Any, document: Mapping[str, Any]) -> bool:
    """NDCG against the number of first ratings a held-out user is known by."""
    section = document.get("new_users")
    if not section:
        return False
    ax = figure.subplots()
    sizes = section["profile_sizes"]
    for name, by_size in section["results"].items():
        ax.plot(sizes, [by_size[str(size)]["ndcg"] for size in sizes], marker="o",
                linewidth=2.5 if name == "model" else 1.2, label=name)
    ax.set_xticks(sizes)
    ax.set_xlabel("first ratings known (k)")
    ax.set_ylabel(f"NDCG@{document['settings']['k']}")
    ax.set_title("New users: held out of training, known by their first k ratings")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return True


def _bars(figure: Any, document: Mapping[str, Any], metrics: Sequence[tuple[str, str]]) -> bool:
    results: Mapping[str, Mapping[str, Any]] = document["results"]
    panels = [(key, label) for key, label in metrics
              if any(row.get(key) is not None for row in results.values())]
    if not panels:
        return False
    columns = min(4, len(panels))
    rows = -(-len(panels) // columns)
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, (key, label) in zip(axes, panels, strict=False):
        names = [name for name, row in results.items() if row.get(key) is not None]
        values = [results[name][key] for name in names]
        colours = [MODEL_COLOUR if name == MODEL else BASELINE_COLOUR for name in names]
        ax.barh(names, values, color=colours)
        ax.invert_yaxis()  # the model, listed first, on top
        ax.set_title(label)
        ax.tick_params(axis="y", labelsize="small")
        for position, value in enumerate(values):
            ax.annotate(f"{value:.3f}" if value < 10 else f"{value:.0f}", (value, position),
                        fontsize="x-small", va="center", xytext=(2, 0),
                        textcoords="offset points")
        ax.margins(x=0.25)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    k = document["settings"]["k"]
    title = "Rating error (lower is better)" if metrics is RATING_METRICS else f"Top-{k} quality"
    figure.suptitle(f"{title}: the model (red) beside the baselines")
    return True


def _activity(figure: Any, document: Mapping[str, Any]) -> bool:
    buckets = document.get("activity") or []
    if not buckets:
        return False
    names = list(buckets[0]["rmse"])
    ax = figure.subplots()
    width = 0.8 / len(names)
    positions = range(len(buckets))
    for offset, name in enumerate(names):
        colour = MODEL_COLOUR if name == MODEL else REFERENCE_COLOUR
        ax.bar([p + offset * width for p in positions],
               [bucket["rmse"][name] for bucket in buckets], width, label=name, color=colour)
    ax.set_xticks([p + width * (len(names) - 1) / 2 for p in positions],
                  [f"{b['bucket']}\n({b['users']} users)" for b in buckets])
    ax.set_xlabel("training ratings per user")
    ax.set_ylabel("RMSE")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    ax.set_title("Rating error by user activity")
    return True
