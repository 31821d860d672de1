"""For a known user: the planted taste wins, rated movies never come back, reasons name them."""

import numpy as np
import pytest

from movierec.engine import Filters, Reason, Recommender

from .conftest import OWN_RATED, PER_CLUSTER, Planted


@pytest.mark.parametrize("cluster", range(4))
def test_a_fan_gets_their_cluster(engine: Recommender, planted: Planted, cluster: int) -> None:
    user = planted.user_in(cluster, which=3)
    unseen_own = PER_CLUSTER - OWN_RATED
    results = engine.for_user(user, n=unseen_own)
    assert {r.movie_id for r in results} == planted.movies_in(cluster) - set(planted.seen[user])


def test_never_a_rated_movie(engine: Recommender, planted: Planted) -> None:
    for user in planted.user_ids.tolist():
        found = {r.movie_id for r in engine.for_user(user, n=20)}
        assert not found & set(planted.seen[user])


def test_rated_movies_come_back_when_asked(engine: Recommender, planted: Planted) -> None:
    user = planted.user_in(2)
    results = engine.for_user(user, n=PER_CLUSTER, exclude_seen=False)
    assert {r.movie_id for r in results} == planted.movies_in(2)
    own = {m for m, stars in planted.seen[user].items() if stars == 5}
    for result in results:
        rated = result.reason == Reason("rated_it", stars=5.0)
        assert rated == (result.movie_id in own)


def test_reason_names_a_liked_movie_of_the_same_cluster(
    engine: Recommender, planted: Planted
) -> None:
    user = planted.user_in(0, which=0)
    liked = {m for m, stars in planted.seen[user].items() if stars == 5}
    for result in engine.for_user(user, n=5):
        reason = result.reason
        assert (reason.kind, reason.stars) == ("rated_similar", 5.0)
        assert reason.movie_id in liked and reason.title == engine.movie(reason.movie_id).title


def test_predicted_rating_is_the_clipped_rating_head(engine: Recommender, planted: Planted) -> None:
    arrays = planted.arrays
    user_id = planted.user_in(1)
    user = list(planted.user_ids).index(user_id)
    for result in engine.for_user(user_id, n=10):
        movie = list(planted.movie_ids).index(result.movie_id)
        raw = (
            arrays["user_vectors"][user] @ arrays["movie_vectors"][movie]
            + arrays["user_bias"][user]
            + arrays["movie_bias"][movie]
            + 3.0
        )
        assert result.predicted_rating == pytest.approx(np.clip(raw, 1, 5), abs=1e-3)
        assert result.score == pytest.approx(raw, abs=1e-4)


def test_filters_by_year_and_rating_count(engine: Recommender, planted: Planted) -> None:
    user = planted.user_in(1)
    recent = engine.for_user(user, n=5, filters=Filters(year_min=1995, year_max=1999))
    assert recent and all(1995 <= r.year <= 1999 for r in recent)
    rated = engine.for_user(user, n=40, filters=Filters(min_ratings=5))
    assert rated and all(engine.movie(r.movie_id).ratings >= 5 for r in rated)


def test_a_filter_that_keeps_little_returns_fewer(engine: Recommender, planted: Planted) -> None:
    results = engine.for_user(planted.user_in(0, 1), n=10, filters=Filters(genres=("Drama",)))
    assert {r.title for r in results} == {"Obscure Film", "One Hit Wonder"}


def test_empty_year_range_is_refused(engine: Recommender, planted: Planted) -> None:
    from movierec.engine import InvalidRequest

    with pytest.raises(InvalidRequest, match="empty"):
        engine.for_user(planted.user_in(0), filters=Filters(year_min=2000, year_max=1990))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sample_from": 3}, r"sample_from \(3\) must be at least n \(5\)"),
        ({"sample_from": 0}, "sample_from must be 1 or more"),
        ({"sample_from": 10, "seed": -1}, "seed must be a whole number from 0 up"),
        ({"sample_from": 10, "seed": "x"}, "seed must be a whole number"),
        ({"filters": Filters(min_ratings=-1)}, "min_ratings must be 0 or more"),
        ({"filters": Filters(year_min="1990")}, "year_min must be a whole number"),
    ],
)
def test_bad_options(engine: Recommender, planted: Planted, options: dict, message: str) -> None:
    from movierec.engine import InvalidRequest

    with pytest.raises(InvalidRequest, match=message):
        engine.for_user(planted.user_in(0), n=5, **options)


def test_sampling_favours_the_best(engine: Recommender, planted: Planted) -> None:
    user = planted.user_in(1)
    top = [r.movie_id for r in engine.for_user(user, n=len(planted.movie_ids) - 7)]
    drawn = [
        r.movie_id
        for seed in range(200)
        for r in engine.for_user(user, n=1, sample_from=len(top), seed=seed)
    ]
    # Own-cluster movies score ~5, the rest ~3: shifted weights give them most of the draws.
    own = planted.movies_in(1)
    assert sum(movie in own for movie in drawn) > 0.35 * len(drawn)
    assert len(set(drawn)) > 10
