"""Evaluation runs: rating error on a test split, top-N quality against the catalogue, and all
baselines on one split in one call.

Top-N protocol: candidates are every catalogue movie the user did not rate in train (movies
never rated in train included); relevant = test rating >= threshold; test users with no relevant
movie are skipped and counted. Metric conventions are those of `movierec.evaluation.metrics`.
"""

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import sparse

from movierec.evaluation._trainset import catalogue_of, check_columns
from movierec.evaluation.baselines import Baseline, RatingBaseline, default_baselines
from movierec.evaluation.metrics import ranking_metrics, rating_metrics, top_k_indices
from movierec.ids import positions

PredictFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""(user_ids, movie_ids) -> predicted ratings of those pairs."""
ScoreFn = Callable[[np.ndarray], np.ndarray]
"""user_ids -> scores (n_users, n_movies), columns in ascending catalogue movie-id order."""


def evaluate_ratings(model: RatingBaseline | PredictFn, test: pd.DataFrame) -> dict[str, float]:
    """RMSE and MAE of a model's predictions (or of a predict function) on every test rating."""
    check_columns(test, "test")
    predict = model.predict if isinstance(model, RatingBaseline) else model
    predicted = predict(test["user_id"].to_numpy(), test["movie_id"].to_numpy())
    return rating_metrics(predicted, test["rating"].to_numpy(dtype=np.float64))


def recommend_top_k(
    model: Baseline | ScoreFn,
    user_ids: np.ndarray,
    train: pd.DataFrame,
    all_movie_ids: np.ndarray,
    k: int = 10,
    block_size: int = 1024,
) -> np.ndarray:
    """Top-K movie ids (n_users, K) per user, best first, train movies excluded.

    Ties go to the smaller movie id; rows with fewer than K candidates end in -1. Users are
    scored `block_size` at a time, so memory stays at a few (block_size x n_movies) arrays.
    """
    score_fn = model.score_users if isinstance(model, Baseline) else model
    catalogue = catalogue_of(all_movie_ids)
    user_ids = np.asarray(user_ids, dtype=np.int64)
    seen = _seen_matrix(train, user_ids, catalogue)
    top = np.full((user_ids.size, k), -1, dtype=np.int64)
    for start in range(0, user_ids.size, block_size):
        stop = min(start + block_size, user_ids.size)
        scores = np.asarray(score_fn(user_ids[start:stop]))
        if scores.shape != (stop - start, catalogue.size):
            raise ValueError(
                f"the score function returned shape {scores.shape} for {stop - start} users; "
                f"expected ({stop - start}, {catalogue.size}), one column per catalogue movie"
            )
        columns = top_k_indices(scores, k, seen[start:stop])
        top[start:stop] = np.where(columns >= 0, catalogue[columns], -1)
    return top


def _seen_matrix(
    train: pd.DataFrame, user_ids: np.ndarray, catalogue: np.ndarray
) -> sparse.csr_matrix:
    """(len(user_ids), n_movies), nonzero where that user rated that movie in train."""
    check_columns(train, "train")
    if np.unique(user_ids).size != user_ids.size:
        raise ValueError("user_ids must not repeat a user")
    rows = pd.Index(user_ids).get_indexer(train["user_id"].to_numpy(dtype=np.int64))
    columns = positions(catalogue, train["movie_id"].to_numpy())
    if (columns < 0).any():
        raise ValueError("train rates movies missing from all_movie_ids")
    keep = rows >= 0
    return sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=bool), (rows[keep], columns[keep])),
        shape=(user_ids.size, catalogue.size),
    )


def evaluate_ranking(
    model: Baseline | ScoreFn,
    train: pd.DataFrame,
    test: pd.DataFrame,
    all_movie_ids: np.ndarray,
    k: int = 10,
    relevant_threshold: float = 4.0,
    block_size: int = 1024,
) -> dict[str, float]:
    """Top-K metrics of a model (or score function) averaged over test users with a relevant
    movie; see `movierec.evaluation.metrics.ranking_metrics` for the keys."""
    check_columns(test, "test")
    catalogue = catalogue_of(all_movie_ids)
    if (positions(catalogue, test["movie_id"].to_numpy()) < 0).any():
        raise ValueError("test rates movies missing from all_movie_ids")
    relevant = _relevant_by_user(test, relevant_threshold)
    evaluated = np.array(
        sorted(user for user, movies in relevant.items() if movies), dtype=np.int64
    )
    top = recommend_top_k(model, evaluated, train, catalogue, k, block_size)
    recommendations = dict(zip(evaluated.tolist(), top.tolist(), strict=True))
    popularity = train["movie_id"].value_counts().to_dict()
    return ranking_metrics(recommendations, relevant, k, catalogue.size, popularity)


def _relevant_by_user(test: pd.DataFrame, relevant_threshold: float) -> dict[int, set[int]]:
    """Every test user mapped to their relevant test movies (possibly none)."""
    relevant: dict[int, set[int]] = {int(user): set() for user in test["user_id"].unique()}
    liked = test[test["rating"] >= relevant_threshold]
    for user, movies in liked.groupby("user_id")["movie_id"]:
        relevant[int(user)] = set(movies.astype(int).tolist())
    return relevant


def evaluate_baselines(
    train: pd.DataFrame,
    test: pd.DataFrame,
    all_movie_ids: np.ndarray,
    k: int = 10,
    relevant_threshold: float = 4.0,
    rating_scale: tuple[float, float] | None = None,
    seed: int = 0,
    baselines: list[Baseline] | None = None,
) -> dict[str, dict[str, float]]:
    """Fit every baseline on `train` and evaluate it on `test`: rating metrics for the rating
    predictors, top-K metrics for all, and the fit time in seconds. Keys are baseline names."""
    results: dict[str, dict[str, float]] = {}
    for model in default_baselines(seed) if baselines is None else baselines:
        started = time.perf_counter()
        model.fit(train, all_movie_ids, rating_scale)
        metrics = {"fit_seconds": time.perf_counter() - started}
        if isinstance(model, RatingBaseline):
            metrics |= evaluate_ratings(model, test)
        metrics |= evaluate_ranking(model, train, test, all_movie_ids, k, relevant_threshold)
        results[model.name] = metrics
    return results
