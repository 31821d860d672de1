"""Similar movies: the planted cluster, never the movie itself, reasons with shared genres."""

import pytest

from movierec.engine import Reason, Recommender

from .conftest import PER_CLUSTER, Planted


@pytest.mark.parametrize("cluster", range(4))
def test_similar_movies_share_the_cluster(
    engine: Recommender, planted: Planted, cluster: int
) -> None:
    for movie in sorted(planted.movies_in(cluster))[:3]:
        results = engine.similar_movies(movie, n=PER_CLUSTER - 1)
        assert {r.movie_id for r in results} == planted.movies_in(cluster) - {movie}


def test_scores_are_cosines(engine: Recommender, planted: Planted) -> None:
    results = engine.similar_movies(planted.movie_id("Heat"), n=47)
    assert all(-1.0 <= r.score <= 1.0 for r in results)
    assert results[0].score > 0.95


def _similar_to_toy_story(planted: Planted, *genres: str) -> Reason:
    return Reason("similar_to", movie_id=planted.movie_id("Toy Story ("), title="Toy Story",
                  genres=genres)


def test_reason_lists_the_shared_genres(engine: Recommender, planted: Planted) -> None:
    results = engine.similar_movies(planted.movie_id("Toy Story ("), n=11)
    reasons = {r.title: r.reason for r in results}
    shared = ("Animation", "Children's")
    assert reasons["Toy Story 2"] == _similar_to_toy_story(planted, *shared, "Comedy")
    assert reasons["Mulan"] == _similar_to_toy_story(planted, *shared)


def test_reason_without_shared_genres(engine: Recommender, planted: Planted) -> None:
    results = engine.similar_movies(planted.movie_id("Toy Story ("), n=len(planted.movie_ids) - 1)
    assert {r.title: r.reason for r in results}["Obscure Film"] == _similar_to_toy_story(planted)
