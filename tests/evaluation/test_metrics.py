"""Every metric against small cases computed by hand."""

import numpy as np
import pytest
from scipy import sparse

from movierec.evaluation.metrics import (
    per_user_ranking_metrics,
    ranking_metrics,
    rating_metrics,
    top_k_indices,
)

LOG2_3 = np.log2(3)


# ---- rating metrics ----


def test_rating_metrics_by_hand() -> None:
    result = rating_metrics(np.array([3.0, 4.0, 5.0, 1.0]), np.array([4.0, 4.0, 3.0, 1.0]))
    # errors -1, 0, 2, 0: squared sum 5, absolute sum 3
    assert result["rmse"] == pytest.approx(np.sqrt(5 / 4))
    assert result["mae"] == pytest.approx(3 / 4)
    assert result["n_ratings"] == 4


def test_rating_metrics_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="shape"):
        rating_metrics(np.array([1.0, 2.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="no ratings"):
        rating_metrics(np.array([]), np.array([]))
    with pytest.raises(ValueError, match="NaN"):
        rating_metrics(np.array([np.nan]), np.array([1.0]))


# ---- top-K selection ----


def test_top_k_breaks_ties_toward_smaller_column() -> None:
    scores = np.array([[1.0, 3.0, 3.0, 2.0, 3.0]])
    assert top_k_indices(scores, 2).tolist() == [[1, 2]]
    assert top_k_indices(scores, 4).tolist() == [[1, 2, 4, 3]]


def test_top_k_tie_at_the_kth_place() -> None:
    scores = np.array([[1.0, 1.0, 1.0, 5.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    assert top_k_indices(scores, 3).tolist() == [[3, 0, 1], [0, 1, 2]]


def test_top_k_excludes_seen_dense_and_sparse() -> None:
    scores = np.array([[1.0, 3.0, 3.0, 2.0, 3.0]])
    seen = np.array([[False, True, False, False, False]])
    assert top_k_indices(scores, 4, seen).tolist() == [[2, 4, 3, 0]]
    assert top_k_indices(scores, 4, sparse.csr_matrix(seen)).tolist() == [[2, 4, 3, 0]]


def test_top_k_pads_when_k_exceeds_candidates() -> None:
    scores = np.array([[0.5, 0.1, 0.9, 0.3]])
    seen = np.array([[True, False, True, False]])
    assert top_k_indices(scores, 3, seen).tolist() == [[3, 1, -1]]
    assert top_k_indices(scores, 6).tolist() == [[2, 0, 3, 1, -1, -1]]


def test_top_k_ranks_nan_and_minus_inf_last_but_keeps_them() -> None:
    scores = np.array([[np.nan, 2.0, -np.inf, 1.0]])
    assert top_k_indices(scores, 4).tolist() == [[1, 3, 0, 2]]


def test_top_k_leaves_the_scores_untouched() -> None:
    scores = np.array([[1.0, 2.0, 3.0]])
    top_k_indices(scores, 2, np.array([[False, False, True]]))
    assert scores.tolist() == [[1.0, 2.0, 3.0]]


def test_top_k_matches_a_full_lexicographic_sort(rng: np.random.Generator) -> None:
    # Small integer scores make ties frequent, including at the K-th place.
    scores = rng.integers(0, 4, size=(50, 40)).astype(float)
    seen = rng.random((50, 40)) < 0.3
    for k in (1, 5, 39, 45):
        expected = []
        for row, excluded in zip(scores, seen, strict=True):
            columns = np.flatnonzero(~excluded)
            ranked = columns[np.lexsort((columns, -row[columns]))][:k].tolist()
            expected.append(ranked + [-1] * (k - len(ranked)))
        assert top_k_indices(scores, k, seen).tolist() == expected


def test_top_k_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        top_k_indices(np.zeros((1, 3)), 0)
    with pytest.raises(ValueError, match="exclude"):
        top_k_indices(np.zeros((1, 3)), 1, np.zeros((1, 2), dtype=bool))


# ---- per-user top-N metrics ----


def test_per_user_metrics_by_hand() -> None:
    hits = np.array(
        [
            [False, True, False],  # list 10, 20, 30; relevant {20, 40}
            [True, False, True],  # list 5, 6, 7; relevant {5, 7}
            [False, False, False],  # no hit; one relevant
            [True, False, False],  # one candidate only (padding); relevant {8, 9}
        ]
    )
    n_relevant = np.array([2, 2, 1, 2])
    result = per_user_ranking_metrics(hits, n_relevant)
    ideal_two = 1 + 1 / LOG2_3
    assert result["precision"] == pytest.approx([1 / 3, 2 / 3, 0, 1 / 3])
    assert result["recall"] == pytest.approx([1 / 2, 1, 0, 1 / 2])
    assert result["ndcg"] == pytest.approx(
        [(1 / LOG2_3) / ideal_two, 1.5 / ideal_two, 0, 1 / ideal_two]
    )
    assert result["ap"] == pytest.approx([(1 / 2) / 2, (1 + 2 / 3) / 2, 0, 1 / 2])
    assert result["hit"].tolist() == [1, 1, 0, 1]


def test_per_user_metrics_more_relevant_than_k() -> None:
    # IDCG and AP normalise by min(|relevant|, K) = 2, so a perfect list scores 1.
    result = per_user_ranking_metrics(np.array([[True, True]]), np.array([4]))
    assert result["precision"][0] == 1
    assert result["recall"][0] == pytest.approx(0.5)
    assert result["ndcg"][0] == pytest.approx(1)
    assert result["ap"][0] == pytest.approx(1)


def test_per_user_metrics_refuses_users_without_relevant_movies() -> None:
    with pytest.raises(ValueError, match="at least one relevant"):
        per_user_ranking_metrics(np.zeros((1, 2), dtype=bool), np.array([0]))


def test_ranking_metrics_averages_skips_and_counts() -> None:
    recommendations = {1: [10, 20, 30], 2: [5, 6, 7], 3: [1, 2, 3], 4: [11, 12, 13]}
    relevant = {1: {20, 40}, 2: {5, 7}, 3: {9}, 4: set()}
    popularity = {10: 4, 20: 2, 5: 6, 1: 3}
    result = ranking_metrics(recommendations, relevant, 3, n_catalogue=20, popularity=popularity)
    ideal_two = 1 + 1 / LOG2_3
    assert result["users_evaluated"] == 3
    assert result["users_skipped"] == 1
    assert result["precision"] == pytest.approx((1 / 3 + 2 / 3 + 0) / 3)
    assert result["recall"] == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert result["ndcg"] == pytest.approx(((1 / LOG2_3) / ideal_two + 1.5 / ideal_two) / 3)
    assert result["map"] == pytest.approx((1 / 4 + 5 / 6) / 3)
    assert result["hit_rate"] == pytest.approx(2 / 3)
    # The skipped user's list counts for neither coverage nor popularity.
    assert result["coverage"] == pytest.approx(9 / 20)
    assert result["mean_popularity"] == pytest.approx((4 + 2 + 6 + 3) / 9)


def test_ranking_metrics_k_larger_than_the_list() -> None:
    result = ranking_metrics({1: [8, -1, -1]}, {1: {8, 9}}, 3, n_catalogue=10)
    assert result["precision"] == pytest.approx(1 / 3)
    assert result["recall"] == pytest.approx(1 / 2)
    assert result["ndcg"] == pytest.approx(1 / (1 + 1 / LOG2_3))
    assert result["map"] == pytest.approx(1 / 2)
    assert result["coverage"] == pytest.approx(1 / 10)


def test_ranking_metrics_truncates_to_k_and_scores_missing_users_as_empty() -> None:
    result = ranking_metrics({1: [7, 8, 9]}, {1: {9}, 2: {3}}, 2)
    assert result["users_evaluated"] == 2
    assert result["hit_rate"] == 0
    assert result["precision"] == 0


def test_ranking_metrics_with_nobody_to_evaluate() -> None:
    result = ranking_metrics({}, {1: set()}, 5)
    assert result["users_evaluated"] == 0
    assert result["users_skipped"] == 1
    assert np.isnan(result["precision"])


def test_ranking_metrics_rejects_a_repeated_movie() -> None:
    with pytest.raises(ValueError, match="twice"):
        ranking_metrics({1: [3, 3]}, {1: {3}}, 2)
