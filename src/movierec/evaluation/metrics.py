"""Metrics: rating error (RMSE, MAE) and top-N quality at K, plus an exact, blocked top-K.

Top-N conventions (those of docs PROTOCOLS.md):
- P@K = hits / K, even when a user has fewer than K candidates;
- R@K = hits / |relevant|;
- NDCG@K uses binary gains and an ideal DCG over min(|relevant|, K) hits;
- AP@K = sum of precision@i at each hit position i, divided by min(|relevant|, K);
- hit = 1 when at least one of the K is relevant;
- every per-user figure is averaged over evaluated users (users with a relevant test movie);
  users whose relevant set is empty are skipped and counted;
- coverage = distinct movies over all evaluated users' lists / catalogue size;
- mean popularity = mean train-rating count over all recommended slots of evaluated users.
"""

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from scipy import sparse

# Candidates whose score is NaN or -inf still rank (last); -inf itself marks excluded movies.
_WORST_CANDIDATE_SCORE = -np.finfo(np.float64).max


def rating_metrics(predicted: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    """RMSE and MAE of `predicted` against `actual` ratings, and the number of pairs."""
    predicted = np.asarray(predicted, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if predicted.shape != actual.shape:
        raise ValueError(f"predicted has shape {predicted.shape} but actual {actual.shape}")
    if predicted.size == 0:
        raise ValueError("no ratings to evaluate")
    if not np.isfinite(predicted).all():
        raise ValueError("predicted ratings contain NaN or infinity")
    errors = predicted - actual
    return {
        "rmse": float(np.sqrt(np.mean(errors**2))),
        "mae": float(np.mean(np.abs(errors))),
        "n_ratings": float(errors.size),
    }


def top_k_indices(
    scores: np.ndarray,
    k: int,
    exclude: np.ndarray | sparse.spmatrix | sparse.sparray | None = None,
) -> np.ndarray:
    """Column indices of the K best scores of each row, best first.

    Ties go to the smaller column index (exactly, also at the K-th place). `exclude` (boolean
    array or sparse matrix of the same shape, nonzero = excluded) removes columns per row, e.g.
    movies seen in train. Rows with fewer than K candidates are padded with -1 at the end.
    NaN and -inf scores rank after every finite score. Returns an (n_rows, K) int64 array.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    work = np.array(scores, dtype=np.float64)  # a copy: the caller's scores stay untouched
    if work.ndim != 2:
        raise ValueError(f"scores must be a 2-d (users x movies) array, got shape {work.shape}")
    n_rows, n_columns = work.shape
    work[np.isnan(work) | np.isneginf(work)] = _WORST_CANDIDATE_SCORE
    if exclude is not None:
        if exclude.shape != work.shape:
            raise ValueError(f"exclude has shape {exclude.shape}, scores {work.shape}")
        work[exclude.nonzero()] = -np.inf
    width = min(k, n_columns)
    if n_rows == 0 or width == 0:
        return np.full((n_rows, k), -1, dtype=np.int64)
    chosen = _k_best_by_column(work, width)
    chosen_scores = np.take_along_axis(work, chosen, axis=1)
    # Stable sort keeps ascending columns among equal scores: the tie-break toward smaller ids.
    order = np.argsort(-chosen_scores, axis=1, kind="stable")
    chosen = np.take_along_axis(chosen, order, axis=1)
    chosen[np.take_along_axis(chosen_scores, order, axis=1) == -np.inf] = -1
    padding = np.full((n_rows, k - width), -1, dtype=np.int64)
    return np.concatenate([chosen, padding], axis=1)


def _k_best_by_column(work: np.ndarray, width: int) -> np.ndarray:
    """Per row, the `width` best columns in ascending column order, ties at the boundary going
    to the smaller columns. A partition finds the K-th best value; a plain argpartition would
    pick arbitrary columns among those tied with it."""
    n_columns = work.shape[1]
    kth_best = np.partition(work, n_columns - width, axis=1)[:, n_columns - width, None]
    above = work > kth_best
    tied = work == kth_best
    tied_slots = width - above.sum(axis=1, keepdims=True)
    take = above | (tied & (np.cumsum(tied, axis=1, dtype=np.int32) <= tied_slots))
    return np.nonzero(take)[1].reshape(work.shape[0], width).astype(np.int64)


def per_user_ranking_metrics(hits: np.ndarray, n_relevant: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall, NDCG, average precision and hit of each user at K.

    `hits` is (n_users, K) boolean: whether the movie at rank i (0-based) is relevant, False in
    padding. `n_relevant` (n_users,) counts each user's relevant test movies; all must be >= 1.
    """
    hits = np.asarray(hits, dtype=bool)
    n_relevant = np.asarray(n_relevant, dtype=np.int64)
    if hits.ndim != 2 or n_relevant.shape != (hits.shape[0],):
        raise ValueError(f"hits {hits.shape} and n_relevant {n_relevant.shape} do not match")
    if (n_relevant < 1).any():
        raise ValueError("every user passed must have at least one relevant movie")
    k = hits.shape[1]
    n_hits = hits.sum(axis=1)
    ideal_hits = np.minimum(n_relevant, k)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal_dcg = np.cumsum(discounts)[ideal_hits - 1]
    precision_at_rank = np.cumsum(hits, axis=1) / np.arange(1, k + 1)
    return {
        "precision": n_hits / k,
        "recall": n_hits / n_relevant,
        "ndcg": (hits @ discounts) / ideal_dcg,
        "ap": (precision_at_rank * hits).sum(axis=1) / ideal_hits,
        "hit": (n_hits > 0).astype(np.float64),
    }


def ranking_metrics(
    recommendations: Mapping[int, Sequence[int]],
    relevant: Mapping[int, Collection[int]],
    k: int,
    n_catalogue: int | None = None,
    popularity: Mapping[int, float] | None = None,
) -> dict[str, float]:
    """Top-N metrics at K averaged over the users of `relevant` that have a relevant movie.

    `recommendations` maps a user to the ranked movie ids (best first; only the first K count,
    -1 entries are padding); a user missing from it is scored as given no recommendation.
    `relevant` maps every test user to the set of relevant test movies; a user with an empty set
    is skipped and counted in `users_skipped`. `coverage` needs `n_catalogue`; `mean_popularity`
    needs `popularity` (train rating count per movie id, 0 where absent).
    """
    evaluated = sorted(user for user, movies in relevant.items() if len(movies) > 0)
    result: dict[str, float] = {
        "k": float(k),
        "users_evaluated": float(len(evaluated)),
        "users_skipped": float(len(relevant) - len(evaluated)),
    }
    lists = [_top_list(recommendations.get(user, ()), k, user) for user in evaluated]
    hits = np.zeros((len(evaluated), k), dtype=bool)
    for row, (user, movies) in enumerate(zip(evaluated, lists, strict=True)):
        relevant_movies = set(relevant[user])
        hits[row, : len(movies)] = [movie in relevant_movies for movie in movies]
    n_relevant = np.array([len(set(relevant[user])) for user in evaluated], dtype=np.int64)
    per_user = per_user_ranking_metrics(hits, n_relevant)
    for name, key in (
        ("precision", "precision"),
        ("recall", "recall"),
        ("ndcg", "ndcg"),
        ("map", "ap"),
        ("hit_rate", "hit"),
    ):
        result[name] = float(per_user[key].mean()) if evaluated else float("nan")
    recommended = [movie for movies in lists for movie in movies]
    if n_catalogue is not None:
        result["coverage"] = len(set(recommended)) / n_catalogue
    if popularity is not None:
        counts = [popularity.get(movie, 0.0) for movie in recommended]
        result["mean_popularity"] = float(np.mean(counts)) if counts else float("nan")
    return result


def _top_list(movies: Sequence[int], k: int, user: int) -> list[int]:
    """The first K real entries of a ranked list; a repeated movie would be counted twice."""
    top = [int(movie) for movie in list(movies)[:k] if movie != -1]
    if len(set(top)) != len(top):
        raise ValueError(f"the list for user {user} recommends a movie twice")
    return top
