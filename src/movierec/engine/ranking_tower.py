"""A brand-new user's ranking vector, computed the way the ranking head computes a known user's.

The ranking towers are linear, so for someone the model has never seen (the mean id embedding
standing in for their own, as for the demographic vectors) the user tower is

    u = base(demographics) + concat_k(W_k @ h_k) / sqrt(K)
    h_k = mean over the rated movies m of implicit_k[m] + (stars - offset) * explicit_k[m]

with K members. The artifact carries base, the history embeddings and W, so this is the tower
itself, run with numpy; artifacts without them fall back to `RankingMap`'s approximation.
"""

import math
from dataclasses import dataclass

import numpy as np

from movierec.engine.demographics import Demographics, demographic_vector


@dataclass(frozen=True)
class TowerHistory:
    """How the rating history enters the tower."""

    implicit: np.ndarray
    """(K, M, H) per-member implicit history embeddings."""
    explicit: np.ndarray
    """(K, M, H) per-member embeddings scaled by the centred rating."""
    weights: np.ndarray
    """(K, E / K, H) per-member output-layer columns acting on the history mean."""
    offset: float
    """What the stars are centred on."""

    def terms(self, movies: np.ndarray, stars: np.ndarray) -> np.ndarray:
        """(E,) what having given `stars` to `movies` adds to the tower's output."""
        centred = (np.asarray(stars, dtype=np.float64) - self.offset)[None, :, None]
        history = (self.implicit[:, movies].astype(np.float64)
                   + centred * self.explicit[:, movies]).mean(axis=1)  # (K, H)
        terms = np.einsum("kdh,kh->kd", self.weights.astype(np.float64), history).reshape(-1)
        return terms / math.sqrt(len(self.weights))


@dataclass(frozen=True)
class RankingTower:
    """The ranking head's user tower for users it has never seen."""

    base: np.ndarray
    """(2, 7, 21, E) by demographics, or (E,) on releases without them."""
    history: TowerHistory | None
    """None: the tower reads no rating history."""

    def vector(self, who: Demographics, user_demographics: np.ndarray | None,
               movies: np.ndarray, stars: np.ndarray) -> np.ndarray:
        """(E,) ranking vector of someone with demographics `who` (any part may be missing)
        who gave `stars` to the movies at indices `movies` (possibly none)."""
        if self.base.ndim == 4:
            vector = demographic_vector(self.base, who, user_demographics)
        else:
            vector = self.base.astype(np.float64)
        if self.history is not None and len(movies):
            vector = vector + self.history.terms(movies, stars)
        return vector.astype(np.float32)
