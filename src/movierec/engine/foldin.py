"""A brand-new user's vector from a few ratings: regularised least squares on the movie vectors.

The new user's rating-space vector u and bias b solve

    minimise  sum_i (r_i - g - b_m_i - b - u.m_i)^2 / noise + sum_d (x_d - prior_d)^2 / spread_d

over x = (u, b): a Gaussian prior centred on the demographic (or mean) user, whose per-dimension
spread is that of the training users, and a noise variance measured on the training ratings.
One rating moves the user along that movie's direction, many ratings outweigh the prior: the
blend with demographics is the prior itself, not a hand-set weight.
"""

from dataclasses import dataclass

import numpy as np

from movierec.engine.model import ModelTables

NOISE_SAMPLE = 20_000
"""Training ratings used to measure the rating head's noise variance."""
SPREAD_SAMPLE = 50_000
"""Users used to measure the spread of user vectors: a variance per dimension needs no more."""


@dataclass(frozen=True)
class FoldInPrior:
    """What the fold-in knows before a new user's ratings: the training users' statistics."""

    mean_vector: np.ndarray
    """(D,) the mean rating-space user vector: the prior without demographics."""
    mean_bias: float
    spread: np.ndarray
    """(D + 1,) variance of the user vectors per dimension, then of the user biases."""
    noise: float
    """Variance of the rating head's error on the training ratings."""


def fold_in_prior(tables: ModelTables) -> FoldInPrior:
    """The prior statistics of `tables`, measured once."""
    sample = fixed_sample(len(tables.users), SPREAD_SAMPLE)
    users = tables.rating.users[sample].astype(np.float64)
    spread = np.append(users.var(axis=0), float(np.var(tables.user_bias[sample])))
    return FoldInPrior(
        mean_vector=tables.rating.users.mean(axis=0, dtype=np.float64),
        mean_bias=float(np.mean(tables.user_bias)),
        spread=spread,
        noise=_noise_variance(tables),
    )


def fold_in(
    tables: ModelTables,
    prior: FoldInPrior,
    movies: np.ndarray,
    stars: np.ndarray,
    prior_vector: np.ndarray,
) -> tuple[np.ndarray, float]:
    """(rating-space user vector, user bias) of a user who gave `stars` to `movies`."""
    start = np.append(prior_vector, prior.mean_bias)
    features = np.hstack(
        [tables.rating.movies[movies].astype(np.float64), np.ones((len(movies), 1))]
    )
    targets = stars - tables.scale.global_bias - tables.movie_bias[movies]
    residual = targets - features @ start
    # Posterior mean of a Gaussian prior with covariance diag(spread): the k x k (dual) form for
    # few ratings, the (D+1) x (D+1) form for many; both allow a zero spread (a fixed bias).
    weighted = features * prior.spread
    if len(movies) <= features.shape[1]:
        gram = weighted @ features.T + prior.noise * np.eye(len(movies))
        update = weighted.T @ np.linalg.solve(gram, residual)
    else:
        system = weighted.T @ features + prior.noise * np.eye(features.shape[1])
        update = np.linalg.solve(system, weighted.T @ residual)
    solution = start + update
    return solution[:-1], float(solution[-1])


def _noise_variance(tables: ModelTables) -> float:
    seen = tables.seen
    total = len(seen.movies)
    floor = (0.1 * tables.scale.step) ** 2
    if total == 0:
        return max(0.8, floor)
    entries = fixed_sample(total, NOISE_SAMPLE)
    users = np.searchsorted(seen.indptr, entries, side="right") - 1
    movies = seen.movies[entries]
    predicted = (
        np.einsum("ij,ij->i", tables.rating.users[users], tables.rating.movies[movies])
        + tables.user_bias[users]
        + tables.movie_bias[movies]
        + tables.scale.global_bias
    )
    return max(float(np.mean((seen.ratings[entries] - predicted) ** 2)), floor)


def fixed_sample(population: int, size: int) -> np.ndarray:
    """Sorted positions of a fixed random sample (all when the population is small).

    A fixed seed keeps a model's recommendations for new users the same on every load.
    """
    if population <= size:
        return np.arange(population)
    return np.sort(np.random.default_rng(0).choice(population, size=size, replace=False))
