"""Films a release lists under two ids, merged into one; movies with no real title, flagged.

ML-100K lists 18 films twice (Chasing Amy as 246 and 268, The Ice Storm as 305 and 865, ...),
each listing with its own share of the ratings. Left apart, the model learns two half-trained
vectors for one film and a list can show it twice. Merging keeps the smallest id (canonical) and
makes the others aliases of it: their ratings move to it, and an alias still resolves to it,
so an id someone saved keeps working.

A user rates a film once: when a ratings file gives one (user, movie) pair several times, or a
user rated a film under two of its ids, only the latest rating is kept.

Two listings are one film when they have the same title (surrounding and repeated spaces and
letter case aside), the same year and, where the release gives them (links.csv), the same IMDb
id: two different films of one name and year are told apart by it. A title without a year is
never merged, nor a placeholder title such as "unknown": such a movie is kept, since its ratings
still tell the model about its raters, but it is flagged so that no list shows it.
"""

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from movierec.data.dataset import Dataset
from movierec.data.tokens import is_placeholder_title
from movierec.ids import positions


@dataclass(frozen=True)
class Merged:
    """A release with its duplicate listings merged, and what the merge did."""

    dataset: Dataset
    """The release with one id per film: alias rows gone from the movies, ratings moved."""
    aliases: np.ndarray
    """(A, 2) int64: alias id, canonical id, by alias id."""
    ratings_moved: int
    """Ratings given under an alias id, now on the canonical id (double ratings included)."""
    double_ratings: int
    """Ratings dropped because their user rated the film again: under the same id (a pair the
    ratings file repeats) or under another of its ids."""

    @property
    def films(self) -> int:
        """How many films had more than one id."""
        return len(np.unique(self.aliases[:, 1]))


def merge_duplicates(dataset: Dataset) -> Merged:
    """Merge every film `dataset` lists under several ids into its smallest id.

    When one user rated a film twice (under one id or two of its ids), the later rating is kept
    (the larger id, then the later line, on a tie of timestamps): it is their latest opinion.
    """
    aliases = find_aliases(dataset.movies)
    ratings, moved, dropped = _move_ratings(dataset.ratings, aliases)
    if not len(aliases) and not dropped:
        return Merged(dataset, aliases, 0, 0)
    movies = dataset.movies[~dataset.movies["movie_id"].isin(aliases[:, 0])]
    merged = replace(dataset, movies=movies.reset_index(drop=True), ratings=ratings)
    return Merged(merged, aliases, moved, dropped)


def find_aliases(movies: pd.DataFrame) -> np.ndarray:
    """(A, 2) int64 alias id, canonical id of every listing of a film but its first, by alias.

    `movies` is a canonical movies table (see `movierec.data.dataset`).
    """
    titles = movies["title"].fillna("").astype(str)
    mergeable = movies["year"].notna().to_numpy() & ~unlisted_movies(movies)
    keys = pd.DataFrame({
        "movie_id": movies["movie_id"].astype("int64"),
        "title": titles.map(lambda title: " ".join(title.split()).casefold()),
        "year": movies["year"],
        # A missing IMDb id matches only another missing one: a group key cannot be NA.
        "imdb": movies["imdb_id"].astype("Int64").fillna(-1),
    })[mergeable]
    canonical = keys.groupby(["title", "year", "imdb"])["movie_id"].transform("min")
    alias = keys["movie_id"] != canonical
    pairs = np.stack([keys["movie_id"][alias].to_numpy(np.int64),
                      canonical[alias].to_numpy(np.int64)], axis=1).reshape(-1, 2)
    return pairs[np.argsort(pairs[:, 0], kind="stable")]


def unlisted_movies(movies: pd.DataFrame) -> np.ndarray:
    """(M,) bool over the rows of `movies`: the ones no list may show (placeholder titles)."""
    return movies["title"].fillna("").map(is_placeholder_title).to_numpy(bool)


def _move_ratings(ratings: pd.DataFrame, aliases: np.ndarray) -> tuple[pd.DataFrame, int, int]:
    """The ratings on canonical ids, one per user and film; also how many moved and dropped."""
    source = ratings["movie_id"].to_numpy(np.int64)
    target, is_alias = source, np.zeros(len(source), dtype=bool)
    if len(aliases):
        slot = positions(aliases[:, 0], source)
        is_alias = slot >= 0
        target = np.where(is_alias, aliases[slot, 1], source)
    users = ratings["user_id"].to_numpy(np.int64)
    # Only colliding ratings need ordering: sort those alone, a few rows of millions.
    pairs = pd.DataFrame({"user": users, "movie": target})
    rows = np.flatnonzero(pairs.duplicated(keep=False).to_numpy())
    touched = pd.DataFrame({
        "row": rows,
        "user": users[rows],
        "movie": target[rows],
        "timestamp": ratings["timestamp"].to_numpy()[rows],
        "source": source[rows],
    }).sort_values(["user", "movie", "timestamp", "source", "row"], kind="stable")
    earlier = touched["row"][touched.duplicated(["user", "movie"], keep="last")].to_numpy()
    keep = np.ones(len(ratings), dtype=bool)
    keep[earlier] = False
    moved = ratings.assign(movie_id=target.astype(ratings["movie_id"].dtype))
    return moved[keep].reset_index(drop=True), int(is_alias.sum()), len(earlier)
