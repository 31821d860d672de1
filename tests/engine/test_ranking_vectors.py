"""With ranking vectors, lists rank by them; the rating head still gives the predicted rating.

In the planted ranking space the obscure film (a Drama nobody rated, near zero in the rating
space) points at every cluster at once, so it ranks first for everyone there and nowhere else.
"""

import numpy as np
import pytest

from movierec.artifacts import read_artifact
from movierec.engine import Recommender
from movierec.engine.model import load_tables

from .conftest import Planted


def test_for_user_ranks_by_the_ranking_vectors(ranked_engine: Recommender, ranked: Planted) -> None:
    for cluster in range(4):
        results = ranked_engine.for_user(ranked.user_in(cluster), n=3)
        assert results[0].title == "Obscure Film"
        assert results[0].predicted_rating < 3.5
        assert {ranked.cluster_of(r.movie_id) for r in results[1:]} == {cluster}


def test_score_is_the_ranking_dot_product(ranked_engine: Recommender, ranked: Planted) -> None:
    user_id = ranked.user_in(2)
    user = list(ranked.user_ids).index(user_id)
    result = ranked_engine.for_user(user_id, n=1)[0]
    movie = list(ranked.movie_ids).index(result.movie_id)
    expected = (
        ranked.arrays["ranking_user_vectors"][user] @ ranked.arrays["ranking_movie_vectors"][movie]
    )
    assert result.score == pytest.approx(expected, rel=1e-5)


def test_new_users_are_carried_into_the_ranking_space(
    ranked_engine: Recommender, ranked: Planted
) -> None:
    rated = sorted(ranked.movies_in(1))[:3]
    results = ranked_engine.for_new_user(dict.fromkeys(rated, 5), n=4)
    assert results[0].title == "Obscure Film"
    assert {ranked.cluster_of(r.movie_id) for r in results[1:]} == {1}
    by_demographics = ranked_engine.for_new_user(occupation=12, n=4)
    assert by_demographics[0].title == "Obscure Film"
    assert {ranked.cluster_of(r.movie_id) for r in by_demographics[1:]} == {0}


def test_also_liked_uses_the_ranking_vectors(ranked_engine: Recommender, ranked: Planted) -> None:
    results = ranked_engine.also_liked(ranked.movie_id("Heat"), n=3)
    assert results[0].title == "Obscure Film"


def test_similar_movies_stay_on_the_rating_vectors(
    ranked_engine: Recommender, ranked: Planted
) -> None:
    results = ranked_engine.similar_movies(ranked.movie_id("Heat"), n=5)
    assert {ranked.cluster_of(r.movie_id) for r in results} == {0}


def test_without_ranking_vectors_the_rating_head_ranks(planted: Planted) -> None:
    tables = load_tables(read_artifact(planted.path))
    assert not tables.has_ranking_vectors
    assert tables.ranking is tables.rating
    assert np.shares_memory(tables.ranking.movies, tables.rating.movies)
