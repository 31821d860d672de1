"""The site's ratings as a retrain reads them, and the split a retrain trains and judges on.

The ratings come as `manage.py export_ratings` writes them (user,movie,rating,timestamp, the
user being `SITE_USER_OFFSET` + account id, the timestamp the rating's last change). A retrain
uses the ones of movies the release knows, their stars brought onto its scale; the rest are
counted and reported, never an error: a site may hold ratings of another release's films.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from movierec.data.features import Features
from movierec.data.splits import Split, temporal_split
from movierec.errors import DataError
from movierec.ids import positions
from movierec.site_accounts import is_site_user

HELD_OUT_FRACTION = 0.1
"""The newest share of each user's ratings (dataset users and accounts alike) held out of the
candidate's training; both models are judged on it."""
MIN_RATINGS_TO_HOLD_OUT = 5
"""A user with fewer ratings stays wholly in training, as in PROTOCOLS.md's temporal split: a
profile of one or two ratings has nothing to spare."""


@dataclass(frozen=True)
class SiteRatings:
    """The site's ratings a retrain uses, and what it left out."""

    ratings: pd.DataFrame
    """user_id, movie_id, rating, timestamp of movies the release knows."""
    unknown_movies: int
    """Ratings left out: their movie is not in the release."""

    @property
    def newest(self) -> int | None:
        """The newest rating's timestamp (seconds since 1970); None when there is none."""
        return int(self.ratings["timestamp"].max()) if len(self.ratings) else None

    def summary(self) -> dict[str, int | None]:
        """What a model trained on these ratings records of them (see `new_rating_count`)."""
        return {"count": len(self.ratings), "accounts": int(self.ratings["user_id"].nunique()),
                "newest": self.newest, "unknown_movies": self.unknown_movies}


def site_ratings_of(frame: pd.DataFrame, features: Features) -> SiteRatings:
    """`frame` (a ratings frame of site accounts) kept to the movies of `features`, one rating
    per account and movie, its stars clipped to their scale; DataError when a user id is not
    an account's."""
    not_accounts = frame.loc[~frame["user_id"].map(is_site_user), "user_id"]
    if len(not_accounts):
        raise DataError(f"site ratings: user {not_accounts.iloc[0]} is not a site account "
                        "(ids start at 10,000,000); export them with `manage.py export_ratings`")
    # A CSV made by hand may rate a movie twice; the site keeps one rating, the latest.
    frame = frame.sort_values("timestamp", kind="stable").drop_duplicates(
        ["user_id", "movie_id"], keep="last")
    known = positions(features.movie_ids, frame["movie_id"]) >= 0
    low, high, _ = features.rating_scale
    kept = frame[known].copy()
    kept["rating"] = kept["rating"].clip(low, high).astype(np.float32)
    return SiteRatings(kept.reset_index(drop=True), int((~known).sum()))


def new_rating_count(frame: pd.DataFrame, trained_on: dict | None) -> int:
    """How many ratings of `frame` are newer than the newest one a model was trained on
    (`trained_on`: the `site_ratings` record of its manifest; None: it saw none)."""
    if not trained_on or trained_on.get("newest") is None:
        return len(frame)
    return int((frame["timestamp"] > int(trained_on["newest"])).sum())


def retrain_split(features: Features, site: SiteRatings) -> Split:
    """The dataset's ratings and the site's together, the newest `HELD_OUT_FRACTION` of each
    user's held out (by timestamp, then movie id), users with fewer than
    `MIN_RATINGS_TO_HOLD_OUT` ratings kept whole in training."""
    dataset = features.ratings[["user_id", "movie_id", "rating", "timestamp"]]
    combined = pd.concat([dataset, site.ratings[dataset.columns]], ignore_index=True)
    split = temporal_split(combined, HELD_OUT_FRACTION, MIN_RATINGS_TO_HOLD_OUT)
    return Split(split.train, split.test, {**split.protocol, "name": "retrain"})


def write_split(split: Split, folder: Path) -> tuple[Path, Path]:
    """The split as `train.csv` and `test.csv` in `folder`, in the layout `--split-files`
    reads; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for part, frame in (("train", split.train), ("test", split.test)):
        path = folder / f"{part}.csv"
        frame.rename(columns={"user_id": "user", "movie_id": "movie"})[
            ["user", "movie", "rating", "timestamp"]].to_csv(path, index=False)
        written.append(path)
    return written[0], written[1]
