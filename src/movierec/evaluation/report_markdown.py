"""An evaluation document (see `model_eval`) rendered as markdown: tables a terminal and GitHub
both read."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from movierec.evaluation.model_eval import MODEL

_RANKING_COLUMNS = (
    ("precision", "P@{k}"), ("recall", "R@{k}"), ("ndcg", "NDCG@{k}"), ("map", "MAP@{k}"),
    ("hit_rate", "HR@{k}"), ("coverage", "coverage"), ("mean_popularity", "mean pop."),
)
_HISTORY_ROWS = 30
"""Longest epoch table shown in full; longer histories show their first and last epochs."""
CURVE_FAMILIES = ("rmse", "mae", "mse", "loss")
"""Metric families the epoch table shows, in this order; "rmse" is tested before "mse"."""


def report_markdown(
    document: Mapping[str, Any], history: list[dict[str, float]], plots: Sequence[str]
) -> str:
    """The whole report: the setting, the tables, the figures in `plots`, the training curves."""
    model = document["model"]
    sections = [
        f"# Evaluation of `{model['path']}`",
        f"Created {document['created']} by movierec {document['code_version']}.",
        setting_lines(document),
    ]
    if document.get("warnings"):
        sections.append("## Warnings\n\n" + "\n".join(f"- {w}" for w in document["warnings"]))
    sections += [
        "## Rating error\n\n" + rating_table(document) + _image(plots, "rating_error.png"),
        f"## Top-{document['settings']['k']}\n\n" + ranking_table(document)
        + "\n\n" + _users_line(document) + _image(plots, "top_k.png"),
    ]
    if document.get("new_users"):
        sections.append("## New users (user holdout)\n\n" + new_user_tables(document)
                        + _image(plots, "new_users.png"))
    if document.get("activity"):
        sections.append("## Rating error by user activity\n\n" + activity_table(document)
                        + _image(plots, "error_by_activity.png"))
    sections.append("## Training\n\n" + training_section(model.get("training"), history)
                    + _image(plots, "loss_curves.png"))
    return "\n\n".join(sections) + "\n"


def results_tables(document: Mapping[str, Any]) -> str:
    """The rating and top-K tables with the notes a reader needs: the console's summary."""
    k = document["settings"]["k"]
    parts = [setting_lines(document), "Rating error:\n\n" + rating_table(document),
             f"Top-{k}:\n\n" + ranking_table(document), _users_line(document)]
    if document.get("new_users"):
        parts.append("New users (user holdout):\n\n" + new_user_tables(document))
    return "\n\n".join(parts) + "\n"


_NEW_USER_METRICS = (("ndcg", "NDCG@{k}"), ("recall", "R@{k}"), ("coverage", "coverage@{k}"))


def new_user_tables(document: Mapping[str, Any]) -> str:
    """One table per metric: a row per method, a column per profile size k (the first k
    ratings a held-out user gave), then the mean over the k."""
    section, n = document["new_users"], document["settings"]["k"]
    sizes = [str(size) for size in section["profile_sizes"]]
    tables = []
    for key, title in _NEW_USER_METRICS:
        rows = []
        for name, by_size in section["results"].items():
            values = [by_size[size][key] for size in sizes]
            mean = sum(values) / len(values)
            rows.append((_label(name), *(_number(value) for value in values), _number(mean)))
        header = (title.format(k=n), *(f"k={size}" for size in sizes), "mean")
        tables.append(table(header, rows))
    note = (f"Each of {section['users_evaluated']:,} held-out users, unseen in training, is "
            f"known by their first k ratings (their stars too); each method's top {n} of the "
            "other movies is scored against the second half of that user's ratings, those of "
            f"{document['settings']['relevant_threshold']:g} stars or more (PROTOCOLS.md, user "
            "holdout).")
    return "\n\n".join([*tables, note])


def setting_lines(document: Mapping[str, Any]) -> str:
    """What was evaluated on what: model, split, candidates, unknown ids."""
    model, split, settings = document["model"], document["split"], document["settings"]
    preset = f", preset `{model['preset']}`" if model.get("preset") else ""
    if split["name"] == "files":
        where = f"the files `{split['train']}` (train) and `{split['test']}` (test)"
    else:
        protocol = split.get("protocol") or {}
        described = ", ".join(f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}"
                              for key, value in protocol.items()
                              if not isinstance(value, dict | list | bool))
        where = "the split the model was trained with" + (f" ({described})" if described else "")
    lines = [
        f"- Model: `{model['path']}`{preset}; ranked by {model['ranking']}.",
        f"- Split: {where}: {split['train_ratings']:,} train and {split['test_ratings']:,} test "
        f"ratings of {split['test_users']:,} test users; {split['catalogue_movies']:,} movies.",
        f"- Top-{settings['k']}: candidates are all movies a user did not rate in train; "
        f"relevant = test rating >= {settings['relevant_threshold']:g}; averaged per user.",
        f"- Ratings clipped to [{settings['rating_scale'][0]:g}, {settings['rating_scale'][1]:g}]."
    ]
    unknown = _unknown_line(split)
    if unknown:
        lines.append(unknown)
    return "\n".join(lines)


def _unknown_line(split: Mapping[str, Any]) -> str:
    counts = [(split.get(f"{part}_unknown_{kind}", 0), part, kind)
              for part in ("test", "train") for kind in ("user", "movie")]
    named = [f"the {kind} of {count:,} {part} rating{'' if count == 1 else 's'}"
             for count, part, kind in counts if count]
    if not named:
        return ""
    return (f"- Unknown to the model: {', '.join(named)}. The model rates them with what it "
            "knows (global and bias terms) and ranks movies it lacks last.")


def rating_table(document: Mapping[str, Any]) -> str:
    rows = [(_label(name), _number(row.get("rmse")), _number(row.get("mae")))
            for name, row in document["results"].items() if row.get("rmse") is not None]
    return table(("model", "RMSE", "MAE"), rows)


def ranking_table(document: Mapping[str, Any]) -> str:
    k = document["settings"]["k"]
    header = ("model", *(title.format(k=k) for _, title in _RANKING_COLUMNS))
    rows = [(_label(name), *(_number(row.get(key)) for key, _ in _RANKING_COLUMNS))
            for name, row in document["results"].items()]
    return table(header, rows)


def activity_table(document: Mapping[str, Any]) -> str:
    buckets = document["activity"]
    names = list(buckets[0]["rmse"])
    header = ("train ratings", "users", "test ratings", *(f"RMSE {_label(n)}" for n in names))
    rows = [(b["bucket"], f"{b['users']:,}", f"{b['test_ratings']:,}",
             *(_number(b["rmse"][name]) for name in names)) for b in buckets]
    return table(header, rows)


def training_section(training: Any, history: list[dict[str, float]]) -> str:
    """The artifact's final training metrics and the per-epoch curves of metrics.jsonl."""
    parts = []
    if isinstance(training, Mapping) and training:
        final = _flatten(training)
        parts.append("Final training metrics (the artifact's metrics document):\n\n"
                     + table(("metric", "value"),
                             [(name, _plain(value)) for name, value in final.items()]))
    if history:
        names = _curve_names(history)
        rows = [(f"{record['epoch']:g}", *(_number(record.get(n)) for n in names))
                for record in history]
        if len(rows) > _HISTORY_ROWS:
            rows = [*rows[:5], ("…",) * (len(names) + 1), *rows[-(_HISTORY_ROWS - 5):]]
        parts.append(f"Per epoch (metrics.jsonl, {len(history)} epochs):\n\n"
                     + table(("epoch", *names), rows))
    return "\n\n".join(parts) or "No training metrics were found beside the model."


def curve_family(name: str) -> str | None:
    """The family ("rmse", "loss"...) a metric belongs to, or None when it is not a curve."""
    words = re.split(r"[/_.\- ]", name.lower())
    for family in CURVE_FAMILIES:
        if family in words:
            return family
    return None


def _curve_names(history: list[dict[str, float]]) -> list[str]:
    """The history's curve-like metrics, family by family, each in the order first seen."""
    families = {name: curve_family(name) for record in history for name in record}
    return [name for family in CURVE_FAMILIES for name, of in families.items() if of == family]


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """The numbers of a nested JSON object under slash-joined names; other values dropped."""
    flat: dict[str, float] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= _flatten(value, f"{name}/")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table; numbers right-aligned."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _users_line(document: Mapping[str, Any]) -> str:
    model = document["results"][MODEL]
    evaluated, skipped = model.get("users_evaluated"), model.get("users_skipped")
    if evaluated is None:
        return ""
    return (f"Averaged over {evaluated:,.0f} users with a relevant test movie; {skipped:,.0f} "
            "test users without one were skipped.")


def _label(name: str) -> str:
    return f"**{name}**" if name == MODEL else name


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:.4f}"


def _plain(value: float) -> str:
    """A training figure: counts as whole numbers, the rest as the tables show numbers."""
    return f"{value:,.0f}" if float(value).is_integer() else _number(value)


def _image(plots: Sequence[str], name: str) -> str:
    return f"\n\n![{name[:-4].replace('_', ' ')}]({name})" if name in plots else ""
