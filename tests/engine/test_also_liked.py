"""Viewers also liked: both audiences find the planted cluster; the reason counts real ratings."""

import pytest

from movierec.artifacts import read_artifact
from movierec.engine import InvalidRequest, Reason, Recommender
from movierec.engine.audience import AudienceFinder
from movierec.engine.model import load_tables

from .conftest import PER_CLUSTER, Planted


@pytest.mark.parametrize("audience", ["model", "raters"])
@pytest.mark.parametrize("cluster", range(4))
def test_the_audience_likes_its_cluster(
    engine: Recommender, planted: Planted, audience: str, cluster: int
) -> None:
    movie = min(planted.movies_in(cluster))
    results = engine.also_liked(movie, n=PER_CLUSTER - 1, audience=audience)
    assert {r.movie_id for r in results} == planted.movies_in(cluster) - {movie}


def test_reason_counts_the_fans_who_liked_it(engine: Recommender, planted: Planted) -> None:
    toy_story = planted.movie_id("Toy Story (")
    results = engine.also_liked(toy_story, n=5, audience="raters")
    # All ten Toy Story raters gave it 5 stars; the audience is the four the model rates fans.
    finder = AudienceFinder(load_tables(read_artifact(planted.path)))
    audience = finder.find(list(planted.movie_ids).index(toy_story), "raters")
    fans = planted.user_ids[audience].tolist()
    assert len(fans) == 4 and all(planted.seen[u][toy_story] == 5 for u in fans)
    for result in results:
        liked = sum(planted.seen[u].get(result.movie_id, 0) >= 4 for u in fans)
        assert result.reason == Reason(
            "audience_liked", movie_id=toy_story, title="Toy Story", stars=4.0, count=liked,
            audience=4,
        )


def test_the_list_follows_the_audiences_scores_not_the_count(
    engine: Recommender, planted: Planted
) -> None:
    # The reason's count explains; the order is the audience's model score, as documented.
    results = engine.also_liked(planted.movie_id("Heat"), n=len(planted.movie_ids))
    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True)
    counts = [result.reason.count for result in results]
    assert counts != sorted(counts, reverse=True)


def test_a_movie_nobody_liked_falls_back_to_the_model(
    engine: Recommender, planted: Planted
) -> None:
    obscure = planted.movie_id("Obscure Film")
    by_raters = engine.also_liked(obscure, n=5, audience="raters")
    by_model = engine.also_liked(obscure, n=5, audience="model")
    assert [r.movie_id for r in by_raters] == [r.movie_id for r in by_model]


def test_unknown_audience(engine: Recommender, planted: Planted) -> None:
    with pytest.raises(InvalidRequest, match="audience must be one of model, raters"):
        engine.also_liked(planted.movie_id("Heat"), audience="friends")  # type: ignore[arg-type]
