"""Predicted ratings from a model artifact with numpy alone: rating = u.m + b_u + b_m + g,
clipped to the release's rating scale. Never imports torch."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movierec.artifacts import Artifact, read_artifact
from movierec.errors import DataError


class UnknownIdsError(DataError):
    """Some pairs name a user or a movie the model was not trained with."""


@dataclass(frozen=True)
class RatingScorer:
    """The arrays that score a (user id, movie id) pair."""

    user_ids: np.ndarray
    movie_ids: np.ndarray
    user_vectors: np.ndarray
    movie_vectors: np.ndarray
    user_bias: np.ndarray
    movie_bias: np.ndarray
    offset: float
    """The global bias; for a model without biases, the mean training rating (then used only
    for unknown ids, whose dot product the model cannot give)."""
    global_bias: float
    low: float
    high: float

    @classmethod
    def load(cls, path: Path) -> "RatingScorer":
        """The scorer of the artifact at `path` (verified; ArtifactError when unusable)."""
        return cls.from_artifact(read_artifact(Path(path)))

    @classmethod
    def from_artifact(cls, artifact: Artifact) -> "RatingScorer":
        scoring = artifact.document("scoring")
        low, high, _ = (float(value) for value in scoring["rating_scale"])
        global_bias = float(scoring["global_bias"])
        has_biases = bool(artifact.document("config")["network"]["biases"])
        seen = artifact.array("seen_ratings")
        offset = global_bias if has_biases or not len(seen) else float(seen.mean())
        return cls(
            user_ids=artifact.array("user_ids").astype(np.int64),
            movie_ids=artifact.array("movie_ids").astype(np.int64),
            user_vectors=artifact.array("user_vectors").astype(np.float32),
            movie_vectors=artifact.array("movie_vectors").astype(np.float32),
            user_bias=artifact.array("user_bias").astype(np.float32),
            movie_bias=artifact.array("movie_bias").astype(np.float32),
            offset=offset,
            global_bias=global_bias,
            low=low,
            high=high,
        )

    def positions(self, user_ids: np.ndarray, movie_ids: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Dense positions of the ids and whether each is known: (users, movies, user_known,
        movie_known); an unknown id's position is 0 and must not be used."""
        users, user_known = _lookup(self.user_ids, np.asarray(user_ids, dtype=np.int64))
        movies, movie_known = _lookup(self.movie_ids, np.asarray(movie_ids, dtype=np.int64))
        return users, movies, user_known, movie_known

    def predict(self, user_ids: np.ndarray, movie_ids: np.ndarray, *,
                fallback: bool = False) -> np.ndarray:
        """(N,) float32 predicted ratings of the pairs (user_ids[i], movie_ids[i]).

        An unknown id raises UnknownIdsError, or with `fallback` gets the offset plus whichever
        bias is known (the mean rating for a model without biases).
        """
        users, movies, user_known, movie_known = self.positions(user_ids, movie_ids)
        both = user_known & movie_known
        if not fallback and not both.all():
            raise UnknownIdsError(_describe_unknown(user_ids, movie_ids, user_known,
                                                    movie_known))
        predictions = np.full(len(users), self.offset, dtype=np.float32)
        known_users, known_movies = users[both], movies[both]
        predictions[both] = (
            np.einsum("ij,ij->i", self.user_vectors[known_users], self.movie_vectors[known_movies])
            + self.user_bias[known_users] + self.movie_bias[known_movies] + self.global_bias
        )
        only_user = user_known & ~movie_known
        only_movie = movie_known & ~user_known
        predictions[only_user] += self.user_bias[users[only_user]]
        predictions[only_movie] += self.movie_bias[movies[only_movie]]
        return np.clip(predictions, self.low, self.high)


def _lookup(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(ids):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    positions = np.searchsorted(ids, wanted).clip(0, len(ids) - 1)
    known = ids[positions] == wanted
    return np.where(known, positions, 0), known


def _describe_unknown(user_ids: np.ndarray, movie_ids: np.ndarray, user_known: np.ndarray,
                      movie_known: np.ndarray, shown: int = 5) -> str:
    users = np.unique(np.asarray(user_ids)[~user_known])
    movies = np.unique(np.asarray(movie_ids)[~movie_known])
    parts = []
    if len(users):
        parts.append(f"{len(users)} unknown user id(s): {', '.join(map(str, users[:shown]))}")
    if len(movies):
        parts.append(f"{len(movies)} unknown movie id(s): {', '.join(map(str, movies[:shown]))}")
    return "; ".join(parts)
