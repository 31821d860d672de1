"""Integer coding of a training split, shared by the baselines and the evaluation protocol."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from movierec.ids import positions

RATING_COLUMNS = ("user_id", "movie_id", "rating")


def catalogue_of(all_movie_ids: np.ndarray) -> np.ndarray:
    """The catalogue as sorted unique ids: column j of every score matrix is movie `catalogue[j]`,
    so breaking ties toward the smaller column breaks them toward the smaller movie id."""
    catalogue = np.unique(np.asarray(all_movie_ids, dtype=np.int64))
    if catalogue.size == 0:
        raise ValueError("all_movie_ids is empty: pass the ids of every movie in the catalogue")
    return catalogue


def check_columns(frame: pd.DataFrame, what: str) -> None:
    """Fail early, naming the frame, when a ratings frame lacks a required column."""
    missing = [column for column in RATING_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}; expected {list(RATING_COLUMNS)}")


@dataclass(frozen=True)
class TrainSet:
    """A training split coded as positions: users in sorted id order, movies in catalogue order."""

    user_ids: np.ndarray
    movie_ids: np.ndarray
    user_codes: np.ndarray
    movie_codes: np.ndarray
    ratings: np.ndarray

    @classmethod
    def from_frame(cls, train: pd.DataFrame, all_movie_ids: np.ndarray) -> "TrainSet":
        check_columns(train, "train")
        movie_ids = catalogue_of(all_movie_ids)
        user_ids = np.unique(train["user_id"].to_numpy(dtype=np.int64))
        movie_codes = positions(movie_ids, train["movie_id"].to_numpy())
        if (movie_codes < 0).any():
            unknown = np.unique(train["movie_id"].to_numpy()[movie_codes < 0])[:5].tolist()
            raise ValueError(f"train rates movies missing from all_movie_ids, e.g. {unknown}")
        return cls(
            user_ids=user_ids,
            movie_ids=movie_ids,
            user_codes=positions(user_ids, train["user_id"].to_numpy()),
            movie_codes=movie_codes,
            ratings=train["rating"].to_numpy(dtype=np.float64),
        )

    @property
    def n_users(self) -> int:
        return int(self.user_ids.size)

    @property
    def n_movies(self) -> int:
        return int(self.movie_ids.size)

    def movie_counts(self) -> np.ndarray:
        """Number of train ratings of each catalogue movie."""
        return np.bincount(self.movie_codes, minlength=self.n_movies)

    def binary_matrix(self) -> sparse.csr_matrix:
        """Users x movies, 1 where the user rated the movie in train; one extra all-zero last row
        so that code -1 (a user unseen in train) indexes an empty history."""
        values = np.ones(self.ratings.size, dtype=np.float64)
        matrix = sparse.csr_matrix(
            (values, (self.user_codes, self.movie_codes)),
            shape=(self.n_users + 1, self.n_movies),
        )
        # A repeated (user, movie) pair would otherwise sum to 2.
        matrix.data[:] = 1.0
        return matrix
