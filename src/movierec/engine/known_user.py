"""A known user's taste moved by the ratings they gave, changed or took back since training.

A site account that a retrained model knows keeps rating. Its learned vectors hold what the
model made of its ratings up to training; a fresh fold-in from all of them would throw that
away. Instead the learned user is moved by what changed, in the model fold-in works in.

Rating space. Fold-in's posterior mean with prior mean x0 and covariance S = diag(spread),
noise variance s and ratings F, t (F: each rated movie's vector with a 1 for the bias; t: the
stars less the global and movie biases) solves A x = S^-1 x0 + F't / s, A = S^-1 + F'F / s.
Taking the learned x_old as that solution for the trained ratings, the same equation for the
ratings now gives, exactly,

    x_now = x_old + (s I + S F_now' F_now)^-1 S (F_now' r_now - F_old' r_old)

where r are the residuals t - F x_old. A rating kept as it was appears in both sums and drops
out: only the ratings given, changed or removed since training move the user, and with none of
them the user is exactly the learned one. The form needs no inverse of S, so a fixed bias (zero
spread) stays fixed. A changed rating pulls by the difference of its stars alone; a removed one
by its training residual, which is sound as far as the learned user sits where fold-in would put
it: on a trained ML-100K model the pull the residuals imply is 0.06 prior standard deviations
(median over users).

Ranking space. A ranking tower that reads the rating history is linear in the history's mean
(`movierec.engine.ranking_tower`), so swapping the trained history's terms for the current
history's gives exactly the vector the tower would give the same user (same id embedding) with
the ratings they have now. Without such a tower the change of the rating-space user is carried
across by `RankingMap` (its constant drops out of the difference).
"""

from collections.abc import Callable

import numpy as np

from movierec.engine.foldin import FoldInPrior
from movierec.engine.model import ModelTables
from movierec.engine.ranking_map import RankingMap
from movierec.engine.ranking_tower import TowerHistory
from movierec.engine.scoring import Taste, user_taste


def current_taste(
    tables: ModelTables,
    prior: FoldInPrior,
    ranking_map: Callable[[], RankingMap],
    user: int,
    movies: np.ndarray,
    stars: np.ndarray,
) -> Taste:
    """The taste of the user at index `user` who now has given `stars` to the movies at indices
    `movies` (all their ratings, old and new); `ranking_map` is called only when it is needed."""
    learned = user_taste(tables, user)
    trained_movies, trained_stars = tables.seen.row(user)
    then = np.full(tables.seen.movie_count, np.nan)
    then[trained_movies] = trained_stars
    now = np.full(tables.seen.movie_count, np.nan)
    now[movies] = stars
    changed = ~((then == now) | (np.isnan(then) & np.isnan(now)))
    if not changed.any():
        return learned
    before = np.append(learned.vector, learned.bias).astype(np.float64)
    added = changed[movies]
    dropped = changed[trained_movies]
    pull = (_pull(tables, before, movies[added], stars[added])
            - _pull(tables, before, trained_movies[dropped], trained_stars[dropped]))
    features = _features(tables, movies)
    system = prior.noise * np.eye(len(before)) + prior.spread[:, None] * (features.T @ features)
    after = before + np.linalg.solve(system, prior.spread * pull)
    vector, bias = after[:-1], float(after[-1])
    tower = tables.ranking_tower
    if tower is not None and tower.history is not None:
        ranking = (learned.ranking_vector.astype(np.float64)
                   + _history_terms(tower.history, movies, stars)
                   - _history_terms(tower.history, trained_movies, trained_stars))
    else:
        carry = ranking_map()
        ranking = (learned.ranking_vector + carry(vector, bias)
                   - carry(before[:-1], float(before[-1])))
    return Taste(vector, bias, ranking.astype(np.float32))


def _features(tables: ModelTables, movies: np.ndarray) -> np.ndarray:
    """(k, D + 1) the rated movies' rating-space vectors, then a 1 for the user bias."""
    vectors = tables.rating.movies[movies].astype(np.float64)
    return np.hstack([vectors, np.ones((len(movies), 1))])


def _pull(tables: ModelTables, user: np.ndarray, movies: np.ndarray, stars: np.ndarray
          ) -> np.ndarray:
    """F' r: how ratings of `movies` pull the user (vector, bias) `user` toward them."""
    features = _features(tables, movies)
    targets = np.asarray(stars, dtype=np.float64) - tables.scale.global_bias
    residuals = targets - tables.movie_bias[movies] - features @ user
    return features.T @ residuals


def _history_terms(history: TowerHistory, movies: np.ndarray, stars: np.ndarray) -> np.ndarray:
    """What a history of these ratings adds to the tower's output; nothing when empty."""
    if not len(movies):
        return np.zeros(history.weights.shape[0] * history.weights.shape[1])
    return history.terms(movies, stars)
