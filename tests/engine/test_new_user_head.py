"""New users through the new-user head: well-known movies of the kind rated, low ratings
pushing their kind away, and reasons that name a rating only where it made the pick."""

import pytest

from movierec.engine import Reason, Recommender

from .conftest import POPULAR, Planted


def well_known(planted: Planted, cluster: int) -> set[int]:
    return set(sorted(planted.movies_in(cluster))[:POPULAR])


def test_one_five_star_rating_gives_well_known_movies_of_its_kind(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat = headed.movie_id("Heat")
    results = headed_engine.for_new_user({heat: 5}, n=POPULAR - 1)
    # Obscure Action movies are as close to Heat, but nobody knows them.
    assert {r.movie_id for r in results} == well_known(headed, 0) - {heat}


def test_a_one_star_rating_pushes_its_kind_away(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat = headed.movie_id("Heat")
    results = headed_engine.for_new_user({heat: 1}, n=10)
    assert not {headed.cluster_of(r.movie_id) for r in results} & {0, -1}
    assert all(r.reason.kind == "widely_liked" for r in results)


def test_reasons_name_the_rating_only_where_it_made_the_pick(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat = headed.movie_id("Heat")
    results = headed_engine.for_new_user({heat: 5}, n=POPULAR + 2)
    because = Reason("rated_similar", movie_id=heat, title="Heat", stars=5.0)
    for result in results:
        if headed.cluster_of(result.movie_id) == 0:
            assert result.reason == because
        else:
            # The prior alone put these here; the count is of the training ratings.
            liked = sum(ratings.get(result.movie_id, 0) >= 4 for ratings in headed.seen.values())
            assert result.reason == Reason("widely_liked", stars=4.0, count=liked)
    assert sum(r.reason == because for r in results) == POPULAR - 1


def test_a_low_rating_is_never_given_as_the_reason(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat, scream = headed.movie_id("Heat"), headed.movie_id("Scream")
    results = headed_engine.for_new_user({heat: 5, scream: 1}, n=10)
    assert {r.reason.movie_id for r in results} <= {heat, None}
    assert 3 not in {headed.cluster_of(r.movie_id) for r in results}  # no Horror
    assert {r.movie_id for r in results[:POPULAR - 1]} == well_known(headed, 0) - {heat}


def test_demographics_alone_lean_the_list(headed_engine: Recommender, headed: Planted) -> None:
    # Occupation 12 leans toward cluster 12 % 4 = 0, Action.
    results = headed_engine.for_new_user(occupation=12, age=25, n=POPULAR)
    assert {r.movie_id for r in results} == well_known(headed, 0)
    assert all(r.reason == Reason("popular_with", group="25-34 programmers") for r in results)


def test_picks_no_rating_made_are_popular_with_the_group(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat = headed.movie_id("Heat")
    results = headed_engine.for_new_user({heat: 5}, occupation=1, n=POPULAR + 4)
    kinds = {headed.cluster_of(r.movie_id): r.reason.kind for r in results}
    assert kinds[0] == "rated_similar"
    assert kinds[1] == "popular_with"  # occupation 1 leans toward Animation


def test_predicted_ratings_still_come_from_the_rating_head(
    headed_engine: Recommender, headed: Planted
) -> None:
    heat = headed.movie_id("Heat")
    results = headed_engine.for_new_user({heat: 5}, n=POPULAR - 1)
    assert all(4.0 <= r.predicted_rating <= 5.0 for r in results)


@pytest.mark.parametrize("stars", [1, 3, 5])
def test_the_rated_movie_is_never_listed(
    headed_engine: Recommender, headed: Planted, stars: int
) -> None:
    heat = headed.movie_id("Heat")
    assert heat not in {r.movie_id for r in headed_engine.for_new_user({heat: stars}, n=40)}
