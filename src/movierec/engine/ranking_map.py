"""Carrying a user made in the rating space (fold-in, demographics) into the ranking space.

Fold-in regresses on stars, so it works in the rating head's space; the demographic table is in
that space too. When the artifact also has ranking vectors, a new user needs a ranking-space
vector as well. Both spaces are outputs of the same user tower inputs, so a linear map fitted by
least squares from every training user's (rating vector, bias) to their ranking vector carries
a new user across with no extra training and no assumption about the ranking loss's scale.
"""

import numpy as np

from movierec.engine.foldin import fixed_sample
from movierec.engine.model import ModelTables

FIT_SAMPLE = 50_000
"""Users the map is fitted on: ample for a (D + 2) x D least-squares problem."""
_BLOCK = 16_384
"""Users per block when accumulating the normal equations: bounds the float64 copies."""


class RankingMap:
    """A linear map from (rating-space user vector, user bias) to a ranking-space user vector."""

    def __init__(self, tables: ModelTables) -> None:
        self._weights: np.ndarray | None = None
        if tables.has_ranking_vectors:
            self._weights = _fit(tables)

    def __call__(self, vector: np.ndarray, bias: float) -> np.ndarray:
        if self._weights is None:
            return vector.astype(np.float32)
        features = np.append(vector, (bias, 1.0))
        return (features @ self._weights).astype(np.float32)


def _fit(tables: ModelTables) -> np.ndarray:
    sample = fixed_sample(len(tables.users), FIT_SAMPLE)
    width = tables.rating.users.shape[1] + 2
    gram = np.zeros((width, width))
    cross = np.zeros((width, tables.ranking.users.shape[1]))
    for start in range(0, len(sample), _BLOCK):
        block = sample[start : start + _BLOCK]
        features = np.hstack(
            [
                tables.rating.users[block].astype(np.float64),
                tables.user_bias[block, None].astype(np.float64),
                np.ones((len(block), 1)),
            ]
        )
        gram += features.T @ features
        cross += features.T @ tables.ranking.users[block].astype(np.float64)
    # A whisper of ridge keeps the solve defined when a column is constant (biases all zero).
    ridge = 1e-6 * max(float(np.trace(gram)) / width, 1e-12)
    return np.linalg.solve(gram + ridge * np.eye(width), cross)
