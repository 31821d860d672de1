"""`movierec data split NAME`: write a train/test split as CSV files anyone can evaluate on."""

from pathlib import Path

import click

from movierec.data.features import load_features
from movierec.data.splits import leave_last_out, random_split, temporal_split

_COLUMNS = {"user_id": "user", "movie_id": "movie", "rating": "rating", "timestamp": "timestamp"}


@click.command()
@click.argument("name")
@click.option("--protocol", type=click.Choice(["random", "temporal", "leave-last-out"]),
              default="random", show_default=True, help="How to choose the test ratings.")
@click.option("--test-fraction", type=float, default=0.2, show_default=True,
              help="Share of ratings (random) or of each user's ratings (temporal) to hold out.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random split.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write train.csv and test.csv into.")
def split(name: str, protocol: str, test_fraction: float, seed: int, out: Path) -> None:
    """Split the prepared dataset NAME into train.csv and test.csv (user,movie,rating,timestamp).

    The files feed `movierec train --split-files` and any outside tool, so every model can be
    compared on exactly the same ratings.
    """
    ratings = load_features(name).ratings
    if protocol == "random":
        result = random_split(ratings, test_fraction, seed)
    elif protocol == "temporal":
        result = temporal_split(ratings, test_fraction)
    else:
        result = leave_last_out(ratings)
    out.mkdir(parents=True, exist_ok=True)
    for part, frame in (("train", result.train), ("test", result.test)):
        target = out / f"{part}.csv"
        partial = target.with_suffix(".csv.part")
        frame[list(_COLUMNS)].rename(columns=_COLUMNS).to_csv(partial, index=False)
        partial.replace(target)
    click.echo(f"{protocol} split of {name}: {len(result.train):,} train, "
               f"{len(result.test):,} test ratings in {out}")
