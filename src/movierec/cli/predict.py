"""`movierec predict`: predicted ratings of user,movie pairs from a trained model, numpy only.

This module must never import torch (directly or through `movierec.training`): predicting is
meant to run anywhere the artifact can be read.
"""

import csv
import sys
from pathlib import Path
from typing import TextIO

import click
import numpy as np

from movierec.artifacts import read_artifact
from movierec.atomic import atomic_file
from movierec.errors import DataError
from movierec.evaluation.artifact_model import ArtifactModel

_LARGEST_ID = int(np.iinfo(np.int64).max)
"""Ids are read into int64 arrays; a larger one can name no movie or user."""


@click.command()
@click.option("--model", "model_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The model folder written by `movierec train`.")
@click.option("--pairs", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with a header naming `user` and `movie` columns (others are ignored).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the predictions here instead of to stdout.")
@click.option("--fallback", is_flag=True,
              help="Rate an unknown user as the model's average user, and an unknown movie at "
                   "the mean training rating (plus a known user's bias), instead of stopping "
                   "with an error.")
def predict(model_dir: Path, pairs: Path, out: Path | None, fallback: bool) -> None:
    """Predict the rating of every user,movie pair in a CSV file.

    Writes `user,movie,prediction` (with that header), in the input's order. Predictions are
    u.m + b_u + b_m + g clipped to the release's rating scale; `movierec evaluate` predicts
    the same, fallback included.
    """
    model = ArtifactModel(read_artifact(model_dir))
    user_ids, movie_ids, lines = read_pairs(pairs)
    user_known = model.user_indices(user_ids) >= 0
    movie_known = model.movie_indices(movie_ids) >= 0
    if not fallback and not (user_known & movie_known).all():
        raise DataError(_unknown_message(pairs, user_ids, movie_ids, lines, user_known,
                                         movie_known))
    predictions = model.predict(user_ids, movie_ids)
    if out is None:
        write_predictions(sys.stdout, user_ids, movie_ids, predictions)
    else:
        with atomic_file(out) as staging, staging.open("w", encoding="utf-8", newline="") as stream:
            write_predictions(stream, user_ids, movie_ids, predictions)
        click.echo(f"wrote {len(predictions):,} predictions to {out}", err=True)


def read_pairs(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The user ids, movie ids and line numbers of a pairs CSV; DataError naming the first bad
    line."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            rows = csv.reader(stream)
            header = [name.strip().lower() for name in next(rows, [])]
            missing = [name for name in ("user", "movie") if name not in header]
            if missing:
                raise DataError(
                    f"{path}, line 1: the header lacks {' and '.join(missing)}; it must name "
                    "`user` and `movie` columns, e.g. `user,movie`"
                )
            user_column, movie_column = header.index("user"), header.index("movie")
            users, movies, lines = [], [], []
            for line, row in enumerate(rows, start=2):
                if not "".join(row).strip():
                    continue
                users.append(_integer(path, line, row, user_column, "user"))
                movies.append(_integer(path, line, row, movie_column, "movie"))
                lines.append(line)
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a UTF-8 text file") from None
    return (np.array(users, dtype=np.int64), np.array(movies, dtype=np.int64),
            np.array(lines, dtype=np.int64))


def write_predictions(stream: TextIO, user_ids: np.ndarray, movie_ids: np.ndarray,
                      predictions: np.ndarray) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["user", "movie", "prediction"])
    for user, movie, value in zip(user_ids, movie_ids, predictions, strict=True):
        writer.writerow([int(user), int(movie), f"{float(value):.4f}"])


def _integer(path: Path, line: int, row: list[str], column: int, name: str) -> int:
    try:
        value = int(row[column].strip())
    except (IndexError, ValueError):
        shown = row[column] if column < len(row) else "(missing)"
        raise DataError(f"{path}, line {line}: {name} {shown!r} is not a whole number") from None
    if abs(value) > _LARGEST_ID:
        raise DataError(f"{path}, line {line}: {name} {row[column]!r} is too large for an id "
                        f"(at most {_LARGEST_ID})")
    return value


def _unknown_message(path: Path, user_ids: np.ndarray, movie_ids: np.ndarray,
                     lines: np.ndarray, user_known: np.ndarray, movie_known: np.ndarray,
                     shown: int = 5) -> str:
    bad = np.flatnonzero(~(user_known & movie_known))
    details = []
    for row in bad[:shown]:
        what = []
        if not user_known[row]:
            what.append(f"user {user_ids[row]}")
        if not movie_known[row]:
            what.append(f"movie {movie_ids[row]}")
        details.append(f"line {lines[row]}: {' and '.join(what)}")
    more = f" (and {len(bad) - shown} more lines)" if len(bad) > shown else ""
    return (
        f"{path}: {len(bad)} pair(s) name ids the model was not trained with — "
        f"{'; '.join(details)}{more}. Use ids of the training data, or add --fallback to rate "
        "an unknown user as the average user and an unknown movie at the mean rating"
    )
