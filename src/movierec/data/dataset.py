"""The one canonical, typed form every MovieLens layout is loaded into.

- users: `user_id` (int32), `gender` ("F"/"M"), `age` (ML-1M bucket code, Int8),
  `occupation` (ML-1M code, Int8), `zip` (string); demographic columns are all missing (<NA>)
  for releases without demographics.
- movies: `movie_id` (int32), `title` (string, as released), `year` (Int16, missing when the
  title has none), `genres` (string, `|`-joined, "" when none), `imdb_id` and `tmdb_id`
  (Int64, missing where unknown).
- ratings: `user_id` (int32), `movie_id` (int32), `rating` (float32), `timestamp` (int64,
  Unix seconds), in the release's file order.
"""

from dataclasses import dataclass

import pandas as pd

USER_COLUMNS = ("user_id", "gender", "age", "occupation", "zip")
MOVIE_COLUMNS = ("movie_id", "title", "year", "genres", "imdb_id", "tmdb_id")
RATING_COLUMNS = ("user_id", "movie_id", "rating", "timestamp")

USER_DTYPES = {
    "user_id": "int32", "gender": "string", "age": "Int8", "occupation": "Int8", "zip": "string",
}
MOVIE_DTYPES = {
    "movie_id": "int32", "title": "string", "year": "Int16", "genres": "string",
    "imdb_id": "Int64", "tmdb_id": "Int64",
}
RATING_DTYPES = {"user_id": "int32", "movie_id": "int32", "rating": "float32", "timestamp": "int64"}


@dataclass(frozen=True)
class Dataset:
    """A loaded release in canonical form (see the module docstring for the columns)."""

    name: str
    users: pd.DataFrame
    movies: pd.DataFrame
    ratings: pd.DataFrame
    has_demographics: bool
    rating_scale: tuple[float, float, float]
    """(lowest, highest, step)."""

    @property
    def genres(self) -> list[str]:
        """Every genre that occurs, sorted."""
        found = self.movies["genres"].str.split("|").explode()
        return sorted(g for g in found.dropna().unique() if g)

    def summary(self) -> dict[str, int]:
        """Counts a person checks first."""
        return {
            "ratings": len(self.ratings),
            "users": len(self.users),
            "movies": len(self.movies),
            "rated_movies": int(self.ratings["movie_id"].nunique()),
        }


def canonical_users(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with exactly the canonical user columns and dtypes (missing ones filled with NA)."""
    return _conform(frame, USER_DTYPES)


def canonical_movies(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with exactly the canonical movie columns and dtypes."""
    return _conform(frame, MOVIE_DTYPES)


def canonical_ratings(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with exactly the canonical rating columns and dtypes."""
    return _conform(frame, RATING_DTYPES)


def _conform(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    columns = {}
    for column, dtype in dtypes.items():
        if column in frame:
            columns[column] = frame[column].astype(dtype)
        else:
            columns[column] = pd.Series(pd.NA, index=frame.index, dtype=dtype)
    return pd.DataFrame(columns).reset_index(drop=True)
