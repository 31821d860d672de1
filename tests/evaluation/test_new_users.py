"""The user-holdout protocol's mechanics: the profile pool and the test half, the baselines'
profile scoring, and the per-k results."""

import numpy as np
import pandas as pd
import pytest

from movierec.evaluation.new_users import (
    baseline_rankers,
    evaluate_new_users,
    mean_ndcg,
    new_user_cases,
)


def frame(rows: list[tuple[int, int, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])


def test_the_first_half_is_the_pool_and_the_liked_rest_is_relevant() -> None:
    # User 1 rated five movies, in an order the rows do not give.
    held_out = frame([(1, 50, 5, 30), (1, 10, 4, 10), (1, 20, 2, 20), (1, 40, 4, 40),
                      (1, 30, 1, 20), (2, 60, 5, 1), (2, 70, 3, 2), (3, 80, 5, 1)])
    cases = new_user_cases(held_out)
    # User 2's second half holds nothing liked and user 3 has no second half: both skipped.
    assert [case.user_id for case in cases] == [1]
    case = cases[0]
    assert case.pool_movies.tolist() == [10, 20]  # time 10, then the tie at 20 by movie id
    assert case.pool_stars.tolist() == [4.0, 2.0]
    assert case.relevant == {40, 50}
    movies, stars = case.profile(1)
    assert movies.tolist() == [10] and stars.tolist() == [4.0]
    assert case.profile(10)[0].tolist() == [10, 20]


@pytest.fixture
def train() -> pd.DataFrame:
    """Two tastes: movies 1-3 go together, 4-6 go together; 6 is the most rated of all."""
    rows = []
    for user in range(10):
        movies = (1, 2, 3) if user < 4 else (4, 5, 6)
        rows += [(user, movie, 5.0, movie) for movie in movies]
    rows += [(user, 6, 4.0, 9) for user in range(4)]
    return frame(rows)


def test_baselines_rank_from_the_profile_and_never_list_it(train: pd.DataFrame) -> None:
    rankers = baseline_rankers(train, np.arange(1, 8))
    assert set(rankers) == {"popularity", "item_knn_cosine", "ease", "liked_popularity"}
    assert rankers["popularity"](np.array([6]), np.array([5.0]), 2) == [4, 5]
    assert rankers["liked_popularity"](np.array([4]), np.array([5.0]), 2) == [6, 5]


def test_liked_popularity_counts_only_what_people_liked(train: pd.DataFrame) -> None:
    # Movie 7 is the most rated of all, and every one of its ratings is 1 star.
    panned = pd.concat([train, frame([(user, 7, 1.0, 20) for user in range(12)])])
    rankers = baseline_rankers(panned, np.arange(1, 8))
    assert rankers["popularity"](np.array([1]), np.array([5.0]), 1) == [7]
    assert rankers["liked_popularity"](np.array([1]), np.array([5.0]), 1) == [6]
    knn = rankers["item_knn_cosine"](np.array([1]), np.array([5.0]), 2)
    assert sorted(knn) == [2, 3]
    assert 1 not in rankers["ease"](np.array([1]), np.array([5.0]), 6)


def test_results_by_profile_size(train: pd.DataFrame) -> None:
    held_out = frame([(100, 1, 5, 1), (100, 2, 5, 2), (100, 3, 5, 3), (100, 6, 1, 4)])
    cases = new_user_cases(held_out)
    rankers = baseline_rankers(train, np.arange(1, 8))
    results = evaluate_new_users(rankers, cases, 7, {}, profile_sizes=(1, 2), n=1)
    assert set(results["popularity"]) == {"1", "2"}
    # With movie 1 in the profile, item-kNN's first pick is 2 or 3; relevant is {3} only
    # (6 was rated 1 star), so its NDCG is 1 or 0, popularity's (movie 6) 0.
    assert results["popularity"]["1"]["ndcg"] == 0.0
    assert results["item_knn_cosine"]["2"]["ndcg"] == 1.0  # profile 1, 2 -> 3
    assert mean_ndcg(results["item_knn_cosine"]) >= 0.5
