"""`movierec data split NAME`: write a train/test split as CSV files anyone can evaluate on."""

from pathlib import Path

import click

from movierec.atomic import atomic_file
from movierec.data.features import load_features
from movierec.data.splits import PROTOCOLS, split_ratings

_COLUMNS = {"user_id": "user", "movie_id": "movie", "rating": "rating", "timestamp": "timestamp"}


@click.command()
@click.argument("name")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="random", show_default=True,
              help="How to choose the test ratings; user-holdout also writes new-users.csv, "
              "every rating of the users kept out whole (PROTOCOLS.md).")
@click.option("--test-fraction", type=float, default=0.2, show_default=True,
              help="Share of ratings (random), of each user's ratings (temporal) or of the "
              "users (user-holdout) to hold out.")
@click.option("--seed", type=int,
              help="Seed of the random and user-holdout splits [default: 0; 42 for "
              "user-holdout].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write train.csv and test.csv into.")
def split(name: str, protocol: str, test_fraction: float, seed: int | None, out: Path) -> None:
    """Split the prepared dataset NAME into train.csv and test.csv (user,movie,rating,timestamp).

    The files feed `movierec train --split-files` and any outside tool, so every model can be
    compared on exactly the same ratings.
    """
    result = split_ratings(load_features(name).ratings, protocol, test_fraction, seed)
    out.mkdir(parents=True, exist_ok=True)
    parts = [("train", result.train), ("test", result.test)]
    if result.new_users is not None:
        parts.append(("new-users", result.new_users))
    for part, frame in parts:
        with atomic_file(out / f"{part}.csv") as staging:
            frame[list(_COLUMNS)].rename(columns=_COLUMNS).to_csv(staging, index=False)
    held_out = ("" if result.new_users is None else
                f", {len(result.new_users):,} of {result.new_users['user_id'].nunique():,} "
                "held-out users")
    click.echo(f"{protocol} split of {name}: {len(result.train):,} train, "
               f"{len(result.test):,} test ratings{held_out} in {out}")
