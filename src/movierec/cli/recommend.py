"""`movierec recommend ...`: recommendations from a trained model, as a table or as JSON."""

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from movierec.cli.demographic_codes import AGE, OCCUPATION
from movierec.cli.text_table import text_table
from movierec.cli.user_errors import UserErrorGroup
from movierec.engine import (
    AUDIENCES,
    Filters,
    InvalidRequest,
    NotFound,
    Recommendation,
    Recommender,
    SearchHit,
    published_model_dir,
    write_top_n_csv,
)
from movierec.wording import reason_text

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _apply(options: Sequence[Decorator]) -> Decorator:
    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


common = _apply(
    [
        click.option(
            "--model",
            "model_dir",
            type=click.Path(file_okay=False, path_type=Path),
            help="Model folder; default: the published model ($MOVIEREC_HOME/models/current).",
        ),
        click.option("--n", "n", type=int, default=10, show_default=True, help="How many."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table."),
    ]
)
filtering = _apply(
    [
        click.option("--genre", "genres", multiple=True, help="Keep this genre (repeatable)."),
        click.option("--year-from", type=int, help="Released in or after this year."),
        click.option("--year-to", type=int, help="Released in or before this year."),
        click.option("--min-ratings", type=int, default=0, help="At least this many ratings."),
        click.option("--sample-from", type=int, help="Draw the n among the top N, for variety."),
        click.option("--seed", type=int, help="Seed of --sample-from's draw (repeatable results)."),
    ]
)


@click.group(cls=UserErrorGroup)
def recommend() -> None:
    """Recommend movies with a trained model.

    \b
    Examples:
      movierec recommend user 42
      movierec recommend similar "toy story"
      movierec recommend also-liked 1
      movierec recommend new --rate 1=5 --rate 50=4 --age 25-34 --gender F --occupation 12
      movierec recommend search matrix
      movierec recommend batch --n 10 --out top10.csv --titles
    """


@recommend.command("user")
@click.argument("user_id", type=int)
@common
@filtering
@click.option("--include-seen", is_flag=True, help="Also recommend movies the user rated.")
def user(
    user_id: int,
    model_dir: Path | None,
    n: int,
    as_json: bool,
    include_seen: bool,
    **filter_options: Any,
) -> None:
    """Top movies for USER_ID, a user of the training data; the reasons speak of them in the
    third person ("because they rated Heat 5 stars")."""
    engine = _load(model_dir)
    filters, sampling = _filters(filter_options)
    results = engine.for_user(
        user_id, n, exclude_seen=not include_seen, filters=filters, **sampling
    )
    _show(results, as_json, {"user": user_id}, f"For user {user_id}", who="they")


@recommend.command("similar")
@click.argument("query", nargs=-1, required=True)
@common
@filtering
def similar(
    query: tuple[str, ...], model_dir: Path | None, n: int, as_json: bool, **filter_options: Any
) -> None:
    """Movies similar to QUERY: a movie id or a title ("toy story")."""
    engine = _load(model_dir)
    movie = engine.find_movie(" ".join(query))
    filters, sampling = _filters(filter_options)
    results = engine.similar_movies(movie.movie_id, n, filters=filters, **sampling)
    _show(results, as_json, {"movie": asdict(movie)}, f"Similar to {_label(movie)}")


@recommend.command("also-liked")
@click.argument("query", nargs=-1, required=True)
@common
@filtering
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="model",
    show_default=True,
    help="model: the users the model says like it most; raters: users who rated it 4+.",
)
def also_liked(
    query: tuple[str, ...],
    model_dir: Path | None,
    n: int,
    as_json: bool,
    audience: str,
    **filter_options: Any,
) -> None:
    """What viewers of QUERY (a movie id or a title) also liked."""
    engine = _load(model_dir)
    movie = engine.find_movie(" ".join(query))
    filters, sampling = _filters(filter_options)
    results = engine.also_liked(
        movie.movie_id,
        n,
        audience=audience,
        filters=filters,
        **sampling,  # type: ignore[arg-type]
    )
    _show(results, as_json, {"movie": asdict(movie)}, f"Viewers of {_label(movie)} also liked")


@recommend.command("new")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="MOVIE=STARS",
    help="A rating: movie id (or title) = stars, e.g. 1=5 (repeatable).",
)
@click.option("--gender", type=click.Choice(["F", "M"], case_sensitive=False))
@click.option("--age", type=AGE,
              help="ML-1M age group: its code or its words (25 or 25-34; 1 or under-18).")
@click.option("--occupation", type=OCCUPATION,
              help="ML-1M occupation: its code 0..20 or its words (12 or programmer).")
@common
@filtering
def new(
    rates: tuple[str, ...],
    gender: str | None,
    age: int | None,
    occupation: int | None,
    model_dir: Path | None,
    n: int,
    as_json: bool,
    **filter_options: Any,
) -> None:
    """Recommendations for someone new: from a few ratings, demographics, or neither."""
    engine = _load(model_dir)
    ratings = dict(_parse_rating(engine, text) for text in rates)
    filters, sampling = _filters(filter_options)
    results = engine.for_new_user(
        ratings, gender=gender, age=age, occupation=occupation, n=n, filters=filters, **sampling
    )
    context = {"ratings": ratings, "gender": gender, "age": age, "occupation": occupation}
    _show(results, as_json, context, "For a new user")


@recommend.command("search")
@click.argument("query", nargs=-1, required=True)
@common
def search(query: tuple[str, ...], model_dir: Path | None, n: int, as_json: bool) -> None:
    """Find movies by title: any case, accents, articles, part of a word, a typo; then movies
    the model puts close to the best match, or, when no title matches, titles spelled alike.
    Exits with status 1 when no title matches."""
    engine = _load(model_dir)
    hits = engine.search(" ".join(query), n)
    if as_json:
        click.echo(json.dumps({"query": " ".join(query), "results": [asdict(h) for h in hits]}))
    elif hits:
        headers = ["id", "title", "year", "genres", "ratings", "match"]
        click.echo(text_table(headers, _hit_rows(hits)))
    if not any(hit.kind == "title" for hit in hits):
        # Like grep: a script can tell "nothing found" from a list by the exit status.
        hint = "the titles above are spelled alike" if hits else "try fewer words or part of a word"
        raise NotFound(f"no title matches {' '.join(query)!r}; {hint}")


@recommend.command("batch")
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder; default: the published model.",
)
@click.option("--n", "n", type=int, default=10, show_default=True, help="Movies per user.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV file to write: user,rank,movie,score.",
)
@click.option("--titles", is_flag=True, help="Add a title column: user,rank,movie,score,title.")
def batch(model_dir: Path | None, n: int, out: Path, titles: bool) -> None:
    """Write every user's top n (never a movie they rated) to a CSV file."""
    engine = _load(model_dir)
    started = time.perf_counter()
    rows = write_top_n_csv(engine, out, n, titles=titles)
    seconds = time.perf_counter() - started
    users = engine.user_count
    click.echo(f"wrote {rows:,} rows for {users:,} users to {out} in {seconds:.1f} s")


def _load(model_dir: Path | None) -> Recommender:
    return Recommender.from_artifact(model_dir if model_dir is not None else published_model_dir())


def _filters(options: dict[str, Any]) -> tuple[Filters, dict[str, int | None]]:
    filters = Filters(
        genres=tuple(options["genres"]),
        year_min=options["year_from"],
        year_max=options["year_to"],
        min_ratings=options["min_ratings"],
    )
    return filters, {"sample_from": options["sample_from"], "seed": options["seed"]}


def _parse_rating(engine: Recommender, text: str) -> tuple[int, float]:
    movie, separator, stars = text.rpartition("=")
    if not separator or not movie.strip():
        raise click.BadParameter(f"{text!r} is not MOVIE=STARS, e.g. 1=5", param_hint="--rate")
    try:
        value = float(stars)
    except ValueError:
        raise click.BadParameter(
            f"{stars!r} is not a number of stars", param_hint="--rate"
        ) from None
    found = engine.find_movie(movie.strip())
    scale = engine.rating_scale
    if not scale.allows(value):
        raise InvalidRequest(
            f"the rating of movie {found.movie_id} must be {scale.low:g} to {scale.high:g} stars "
            f"in steps of {scale.step:g}, not {stars.strip()}"
        )
    return found.movie_id, value


def _label(movie: Any) -> str:
    return f"{movie.title} ({movie.year})" if movie.year else movie.title


def _show(
    results: list[Recommendation],
    as_json: bool,
    context: dict[str, Any],
    title: str,
    *,
    who: str = "you",
) -> None:
    """The results as a table or JSON, their reasons worded about `who` (`reason_text`)."""
    if as_json:
        click.echo(json.dumps({**context, "results": [_payload(r, who) for r in results]}))
        return
    click.echo(f"{title}:")
    rows = [
        [
            str(rank),
            _cut(r.title, 40),
            str(r.year or ""),
            _cut(", ".join(r.genres), 30),
            f"{r.score:.3f}",
            f"{r.predicted_rating:.1f}",
            reason_text(r.reason, who=who),
        ]
        for rank, r in enumerate(results, 1)
    ]
    click.echo(text_table(["#", "title", "year", "genres", "score", "rating", "reason"], rows))


def _payload(result: Recommendation, who: str) -> dict[str, Any]:
    """A result as JSON: its reason in words under "reason", as data under "reason_detail"."""
    payload = asdict(result)
    payload["reason_detail"] = payload["reason"]
    payload["reason"] = reason_text(result.reason, who=who)
    return payload


def _hit_rows(hits: list[SearchHit]) -> list[list[str]]:
    return [
        [
            str(h.movie_id),
            _cut(h.title, 50),
            str(h.year or ""),
            _cut(", ".join(h.genres), 30),
            f"{h.ratings:,}",
            HIT_KINDS.get(h.kind, f"{h.match:.1f}"),
        ]
        for h in hits
    ]


HIT_KINDS = {"related": "close to the best match", "suggestion": "did you mean?"}
"""The match column of a hit that is no title match (`SearchHit.kind`)."""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
