"""Who a movie's audience is, for "viewers of this movie also liked".

Two readings, both measured on planted data (benchmarks/results/engine-speed.md):
- "model": the users whose vectors score the movie highest, as the seed system did. Every movie
  has an audience, even one nobody rated.
- "raters": users who rated it "liked" (4+ stars), the model's favourites among them when there
  are more than needed. Falls back to "model" for a movie nobody liked in training.
"""

from typing import Literal

import numpy as np

from movierec.engine.model import ModelTables
from movierec.engine.selection import best

Audience = Literal["model", "raters"]
AUDIENCES: tuple[str, ...] = ("model", "raters")

AUDIENCE_SIZE = 50
"""Users in an audience: enough that one user's quirks average out, few enough to stay fans.
Never more than a tenth of the users, or on a small model the audience would be everyone."""

POOL_SIZE = 32_768
"""Users searched for an audience. On larger models a fixed random subset of this size is
searched: scanning 200k users' vectors costs more than the rest of the request, and the best 50
of 32k random users are fans just as surely."""


class AudienceFinder:
    """Finds a movie's audience; holds the pool of users searched."""

    def __init__(self, tables: ModelTables) -> None:
        self.tables = tables
        user_count = len(tables.users)
        self.size = min(AUDIENCE_SIZE, max(1, user_count // 10))
        if user_count > POOL_SIZE:
            # A fixed seed: a movie's audience, hence its list, is the same on every load.
            pool = np.sort(np.random.default_rng(0).choice(user_count, POOL_SIZE, replace=False))
            self.pool: np.ndarray | None = pool
            self.pool_vectors = np.ascontiguousarray(tables.ranking.users[pool])
        else:
            self.pool = None
            self.pool_vectors = tables.ranking.users

    def find(self, movie: int, kind: Audience) -> np.ndarray:
        """User indices of the audience of the movie at index `movie`."""
        if kind == "raters":
            raters = self._likers(movie)
            if len(raters):
                return raters
        affinity = self.pool_vectors @ self.tables.ranking.movies[movie]
        chosen = best(affinity.astype(np.float64), self.size)
        return chosen if self.pool is None else self.pool[chosen]

    def _likers(self, movie: int) -> np.ndarray:
        users, ratings = self.tables.seen.column(movie)
        liked = users[ratings >= self.tables.scale.liked].astype(np.int64)
        if len(liked) <= self.size:
            return liked
        if len(liked) > POOL_SIZE:
            liked = liked[np.linspace(0, len(liked) - 1, POOL_SIZE).astype(np.int64)]
        affinity = self.tables.ranking.users[liked] @ self.tables.ranking.movies[movie]
        return liked[best(affinity.astype(np.float64), self.size)]
