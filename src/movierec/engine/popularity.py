"""How many training ratings each movie has and how good they are, shrunk toward the mean."""

from dataclasses import dataclass

import numpy as np

from movierec.engine.seen import SeenRatings


@dataclass(frozen=True)
class Popularity:
    """Per-movie rating counts, means and Bayesian averages of the training ratings."""

    counts: np.ndarray
    """(M,) number of training ratings."""
    liked: np.ndarray
    """(M,) number of training ratings at or above the "liked" threshold."""
    means: np.ndarray
    """(M,) mean training rating, 0 where a movie has none."""
    bayesian: np.ndarray
    """(M,) the mean shrunk toward the global mean by `prior_weight` pseudo-ratings."""
    prior_mean: float
    prior_weight: float


def popularity(seen: SeenRatings, liked: float) -> Popularity:
    """Counts (all, and `liked`+ stars), means and Bayesian averages from the training ratings.

    The prior counts as much as the median movie's ratings: a movie rated by a handful of fans
    cannot outrank one that hundreds rated almost as well, and a raw count would put merely
    much-watched movies first.
    """
    counts = seen.counts()
    sums = seen.sums()
    rated = counts > 0
    prior_mean = float(sums.sum() / max(counts.sum(), 1))
    prior_weight = float(max(np.median(counts[rated]), 1.0)) if rated.any() else 1.0
    means = np.divide(sums, counts, out=np.zeros(len(counts)), where=rated)
    bayesian = (prior_weight * prior_mean + sums) / (prior_weight + counts)
    liked_counts = np.bincount(seen.movies[seen.ratings >= liked], minlength=seen.movie_count)
    return Popularity(counts, liked_counts, means, bayesian, prior_mean, prior_weight)

