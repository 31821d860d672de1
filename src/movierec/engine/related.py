"""Movies to list beside a search's best match: its mutual nearest in the model's space.

Nearness alone lists whatever shares a corner of the space (for Heat: The Game, Seven, ...);
being each other's nearest is what a series and its sequels share, and what a searcher asking
for "star wars" wants beside Star Wars when the catalogue's titles do not say it (ML-100K's
"Empire Strikes Back, The (1980)"). Obscure movies' vectors are too noisy to offer or to count.
"""

import numpy as np

from movierec.engine.selection import best

MUTUAL = 3
"""A related movie and the best match are each among the other's this many nearest."""
STANDOUT = 2.0
"""A related movie is also this many standard deviations closer to the best match than the
well-known movies are on average: mutual nearness alone happens by chance where nothing is
close."""
KNOWN_SHARE = 0.1
"""Only movies with at least this share of the best match's ratings count as its neighbours
(and as theirs): a companion of a well-known film is itself known."""
MOST_RATED = 5000
"""And only this many of the most rated at most: that bounds what a search scans to about a
millisecond (all of a 60,000-movie catalogue, for an obscure best match, took 70 ms)."""


class RelatedMovies:
    """The MOST_RATED movies' vectors, most rated first, so that the movies well known enough
    to count are a leading slice: a search scans those, not the whole catalogue."""

    def __init__(self, unit_movies: np.ndarray, rating_counts: np.ndarray) -> None:
        counts = np.asarray(rating_counts, dtype=np.int64)
        self._unit_movies = unit_movies
        self._order = np.argsort(-counts, kind="stable")
        self._counts = counts[self._order]
        self._vectors = np.ascontiguousarray(unit_movies[self._order[:MOST_RATED]])
        self._position = np.empty_like(self._order)
        self._position[self._order] = np.arange(len(self._order))

    def related(self, movie: int, n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Up to n movie indices, closest first: among `movie`'s MUTUAL nearest well-known
        movies (only those `allowed` lets through) that stand out from the rest, those with
        `movie` among their own MUTUAL nearest well-known movies."""
        mine = int(self._position[movie])
        # Counts run high to low, so the well known are those before the first count too low.
        floor = KNOWN_SHARE * self._counts[mine]
        known = min(int(np.searchsorted(-self._counts, -floor, side="right")), MOST_RATED)
        vectors = self._vectors[:known]  # (K, D), a view
        target = self._unit_movies[movie]
        # einsum, not BLAS: a threaded BLAS call on a busy server waits milliseconds for its
        # threads, ten times what these few products of at most MOST_RATED rows compute.
        scores = np.einsum("kd,d->k", vectors, target)  # (K,)
        if mine < known:
            scores[mine] = -np.inf
        finite = scores[np.isfinite(scores)]
        if len(finite) == 0:
            return []
        scores[scores < finite.mean() + STANDOUT * finite.std()] = -np.inf
        if allowed is not None:
            scores[~allowed[self._order[:known]]] = -np.inf
        candidates = best(scores, MUTUAL)
        if len(candidates) == 0:
            return []
        theirs = np.einsum("kd,cd->kc", vectors, vectors[candidates])  # (K, C)
        theirs[candidates, np.arange(len(candidates))] = -np.inf
        if mine < known:  # counted apart: the products round apart in the last bit
            theirs[mine] = -np.inf
        mutual = np.count_nonzero(theirs > scores[candidates], axis=0) < MUTUAL
        return self._order[candidates[mutual][:n]].tolist()
