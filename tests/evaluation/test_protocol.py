"""The evaluation protocol on a case small enough to follow by hand."""

import numpy as np
import pandas as pd
import pytest

from movierec.evaluation.baselines import BiasBaseline, GlobalMean, Popularity
from movierec.evaluation.protocol import (
    evaluate_baselines,
    evaluate_ranking,
    evaluate_ratings,
    recommend_top_k,
)

CATALOGUE = np.array([5, 4, 3, 2, 1])  # any order: columns follow ascending id
MOVIE_SCORES = np.array([5.0, 4.0, 1.0, 3.0, 3.0])  # movies 1..5; 4 and 5 tie


def frame(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    ratings = pd.DataFrame(rows, columns=["user_id", "movie_id", "rating"])
    ratings["timestamp"] = 0
    return ratings


# user 3 is new (not in train); user 4 has no relevant test movie; movie 5 is rated by nobody.
TRAIN = frame([(1, 1, 4.0), (1, 2, 3.0), (2, 1, 5.0)])
TEST = frame([(1, 3, 5.0), (1, 4, 2.0), (2, 2, 4.0), (3, 1, 5.0), (4, 2, 3.0)])


def fixed_scores(user_ids: np.ndarray) -> np.ndarray:
    return np.tile(MOVIE_SCORES, (len(user_ids), 1))


def test_top_k_excludes_train_movies_and_breaks_ties_by_id() -> None:
    top = recommend_top_k(fixed_scores, np.array([1, 2, 3]), TRAIN, CATALOGUE, k=2)
    # user 1 saw 1, 2 -> 4 and 5 tie, 4 first; user 2 saw 1; user 3 saw nothing
    assert top.tolist() == [[4, 5], [2, 4], [1, 2]]


def test_top_k_pads_when_candidates_run_out() -> None:
    top = recommend_top_k(fixed_scores, np.array([1]), TRAIN, CATALOGUE, k=4)
    assert top.tolist() == [[4, 5, 3, -1]]


def test_top_k_works_in_blocks() -> None:
    users = np.array([3, 1, 2])
    whole = recommend_top_k(fixed_scores, users, TRAIN, CATALOGUE, k=3)
    blocked = recommend_top_k(fixed_scores, users, TRAIN, CATALOGUE, k=3, block_size=1)
    assert blocked.tolist() == whole.tolist()


def test_evaluate_ranking_by_hand() -> None:
    result = evaluate_ranking(fixed_scores, TRAIN, TEST, CATALOGUE, k=2)
    # user 1: [4, 5] vs {3}: nothing; user 2: [2, 4] vs {2}; user 3: [1, 2] vs {1}; 4 skipped
    assert result["users_evaluated"] == 3
    assert result["users_skipped"] == 1
    assert result["precision"] == pytest.approx(1 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["ndcg"] == pytest.approx(2 / 3)
    assert result["map"] == pytest.approx(2 / 3)
    assert result["hit_rate"] == pytest.approx(2 / 3)
    assert result["coverage"] == pytest.approx(4 / 5)  # 1, 2, 4, 5 of 5 movies
    # train counts: movie 1 -> 2, 2 -> 1, others 0; slots 4,5 | 2,4 | 1,2
    assert result["mean_popularity"] == pytest.approx((0 + 0 + 1 + 0 + 2 + 1) / 6)


def test_relevance_threshold_is_configurable() -> None:
    result = evaluate_ranking(fixed_scores, TRAIN, TEST, CATALOGUE, k=2, relevant_threshold=3.0)
    # user 4 ([1, 2] vs {2}) now counts, with one hit at rank 2
    assert result["users_evaluated"] == 4
    assert result["users_skipped"] == 0
    assert result["precision"] == pytest.approx((0 + 0.5 + 0.5 + 0.5) / 4)


def test_evaluate_ranking_accepts_a_fitted_baseline() -> None:
    model = Popularity().fit(TRAIN, CATALOGUE)
    result = evaluate_ranking(model, TRAIN, TEST, CATALOGUE, k=1)
    # popularity: 1 (2 ratings), 2 (1), then 3, 4, 5 by id; user 1 -> 3 (hit), 2 -> 2 (hit), 3 -> 1
    assert result["precision"] == pytest.approx(1.0)


def test_a_wrongly_shaped_score_function_is_refused() -> None:
    with pytest.raises(ValueError, match="one column per catalogue movie"):
        recommend_top_k(lambda users: np.zeros((len(users), 3)), np.array([1]), TRAIN, CATALOGUE)


def test_test_movies_outside_the_catalogue_are_refused() -> None:
    with pytest.raises(ValueError, match="missing from all_movie_ids"):
        evaluate_ranking(fixed_scores, TRAIN, frame([(1, 9, 5.0)]), CATALOGUE)


def test_evaluate_ratings_with_a_model_or_a_function() -> None:
    model = GlobalMean().fit(TRAIN, CATALOGUE)  # mean 4
    result = evaluate_ratings(model, TEST)
    # errors: 1, -2, 0, 1, -1
    assert result["rmse"] == pytest.approx(np.sqrt(7 / 5))
    assert result["mae"] == pytest.approx(5 / 5)
    assert evaluate_ratings(lambda users, movies: np.full(len(users), 4.0), TEST) == result


def test_evaluate_baselines_runs_what_it_is_given() -> None:
    results = evaluate_baselines(
        TRAIN, TEST, CATALOGUE, k=2, baselines=[GlobalMean(), Popularity(), BiasBaseline()]
    )
    assert list(results) == ["global_mean", "popularity", "user_movie_bias"]
    assert "rmse" in results["global_mean"]
    assert "rmse" not in results["popularity"]
    assert results["popularity"]["users_evaluated"] == 3
