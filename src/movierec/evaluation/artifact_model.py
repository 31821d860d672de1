"""A trained model artifact seen through the evaluation protocol's eyes, with numpy only.

`ArtifactModel` gives the two functions the protocol calls: `predict(user_ids, movie_ids)` (the
rating head, clipped) and `score_users(user_ids)` (one column per catalogue movie, ascending id).
Ids the model does not know fall back:
- rating of an unknown user: the average user's (`movierec.engine.scoring.pair_ratings`, which
  `movierec predict --fallback` uses too); of an unknown movie: the mean training rating plus
  the user's bias;
- ranking for an unknown user: global + movie bias (a popularity-like list);
- an unknown movie is ranked after every movie the model knows: it has nothing to rank it by.
"""

import numpy as np

from movierec.artifacts import Artifact
from movierec.engine.model import ModelTables, load_tables
from movierec.engine.scoring import pair_ratings, users_ranking_scores
from movierec.evaluation._trainset import catalogue_of

RATING_HEAD = "rating vectors + biases (u.m + b_u + b_m + global)"
RANKING_VECTORS = "ranking vectors (ranking_user_vectors . ranking_movie_vectors)"


class ArtifactModel:
    """Rating predictions and ranking scores of an artifact over a fixed catalogue of movie ids.

    The catalogue may hold movies the artifact lacks (a split given as files); their columns are
    scored NaN, which the protocol ranks last.
    """

    name = "model"

    def __init__(self, artifact: Artifact, all_movie_ids: np.ndarray | None = None) -> None:
        self.tables: ModelTables = load_tables(artifact)
        self.user_ids = self.tables.users.ids
        self.movie_ids = self.tables.movies.ids
        extra = np.empty(0, np.int64) if all_movie_ids is None else all_movie_ids
        self.catalogue = catalogue_of(np.concatenate([self.movie_ids, extra]))
        # Column j of a score row is catalogue[j]; `_column_movie[j]` is its artifact index.
        self._column_movie = self.movie_indices(self.catalogue)
        self._known_columns = np.flatnonzero(self._column_movie >= 0)

    @property
    def ranking_source(self) -> str:
        """Which vectors rank the candidates: the ranking head when the artifact has one."""
        return RANKING_VECTORS if self.tables.has_ranking_vectors else RATING_HEAD

    @property
    def global_bias(self) -> float:
        return self.tables.scale.global_bias

    @property
    def rating_scale(self) -> tuple[float, float]:
        return self.tables.scale.low, self.tables.scale.high

    def user_indices(self, user_ids: np.ndarray) -> np.ndarray:
        """Artifact row of each user id, -1 where the model does not know the user."""
        return self.tables.users.rows(user_ids)

    def movie_indices(self, movie_ids: np.ndarray) -> np.ndarray:
        """Artifact row of each movie id, -1 where the model does not know the movie."""
        return self.tables.movies.rows(movie_ids)

    def predict(self, user_ids: np.ndarray, movie_ids: np.ndarray) -> np.ndarray:
        """Clipped ratings u.m + b_u + b_m + global of the pairs; unknown ids fall back (see the
        module's docstring)."""
        users = self.user_indices(user_ids)
        movies = self.movie_indices(movie_ids)
        if users.shape != movies.shape:
            raise ValueError("user_ids and movie_ids must have the same length")
        return pair_ratings(self.tables, users, movies)

    def score_users(self, user_ids: np.ndarray) -> np.ndarray:
        """Ranking scores (n_users, n_catalogue) in float64, NaN for movies the model lacks."""
        users = self.user_indices(user_ids)
        known = users >= 0
        movies = self._column_movie[self._known_columns]
        scores = np.full((users.size, self.catalogue.size), np.nan)
        fallback = self.global_bias + self.tables.movie_bias[movies].astype(np.float64)
        rows = np.empty((users.size, movies.size))
        rows[known] = users_ranking_scores(self.tables, users[known], movies)
        rows[~known] = fallback
        scores[:, self._known_columns] = rows
        return scores
