"""Brand-new users: fold-in from one or a few ratings, demographics, and the popularity fallback."""

import pytest

from movierec.engine import InvalidRequest, Reason, Recommender, UnknownMovie

from .conftest import PER_CLUSTER, Planted


@pytest.mark.parametrize("cluster", range(4))
def test_three_ratings_of_a_cluster_give_that_cluster(
    engine: Recommender, planted: Planted, cluster: int
) -> None:
    rated = sorted(planted.movies_in(cluster))[:3]
    results = engine.for_new_user(dict.fromkeys(rated, 5), n=PER_CLUSTER - 3)
    assert {r.movie_id for r in results} == planted.movies_in(cluster) - set(rated)


@pytest.mark.parametrize("cluster", range(4))
def test_one_rating_is_enough(engine: Recommender, planted: Planted, cluster: int) -> None:
    rated = min(planted.movies_in(cluster))
    results = engine.for_new_user({rated: 5}, n=5)
    assert {planted.cluster_of(r.movie_id) for r in results} == {cluster}


def test_ratings_outweigh_demographics(engine: Recommender, planted: Planted) -> None:
    # Occupation 12 is planted as an Action audience; this programmer says otherwise.
    horror, action = sorted(planted.movies_in(3))[:3], sorted(planted.movies_in(0))[:2]
    ratings = dict.fromkeys(horror, 5) | dict.fromkeys(action, 2)
    results = engine.for_new_user(ratings, occupation=12, age=25, n=5)
    assert {planted.cluster_of(r.movie_id) for r in results} == {3}


def test_demographics_fill_in_what_ratings_do_not_say(
    engine: Recommender, planted: Planted
) -> None:
    horror = sorted(planted.movies_in(3))[:3]
    results = engine.for_new_user(dict.fromkeys(horror, 5), occupation=12, age=25, n=12)
    assert {planted.cluster_of(r.movie_id) for r in results} == {0, 3}


def test_reasons_name_what_was_rated(engine: Recommender, planted: Planted) -> None:
    heat = planted.movie_id("Heat")
    results = engine.for_new_user({heat: 5}, n=3)
    because = Reason("rated_similar", movie_id=heat, title="Heat", stars=5.0)
    assert all(r.reason == because for r in results)


def test_low_ratings_only_give_a_predicted_reason(engine: Recommender, planted: Planted) -> None:
    results = engine.for_new_user({planted.movie_id("Heat"): 1}, n=3)
    assert all(r.reason == Reason("predicted", stars=r.predicted_rating) for r in results)
    assert planted.movie_id("Heat") not in {r.movie_id for r in results}


def test_demographics_alone(engine: Recommender, planted: Planted) -> None:
    results = engine.for_new_user(age=25, occupation=12, n=6)
    assert {planted.cluster_of(r.movie_id) for r in results} == {0}
    assert all(r.reason == Reason("popular_with", group="25-34 programmers") for r in results)


@pytest.mark.parametrize(
    ("who", "group"),
    [
        ({"gender": "F"}, "women"),
        ({"gender": "m", "age": 56}, "56+ men"),
        ({"age": 1}, "under-18 viewers"),
        ({"gender": "F", "occupation": 4, "age": 18}, "18-24 female college/grad students"),
    ],
)
def test_demographic_reasons(engine: Recommender, who: dict, group: str) -> None:
    assert engine.for_new_user(**who, n=1)[0].reason == Reason("popular_with", group=group)


def test_nothing_gives_the_bayesian_favourites(engine: Recommender, planted: Planted) -> None:
    results = engine.for_new_user(n=len(planted.movie_ids))
    titles = [r.title for r in results]
    assert titles[0] == "Toy Story"
    assert results[0].reason == Reason("highly_rated", stars=5.0, count=10)
    # The one hit wonder's single 5 stars would tie for the top of a raw mean; every movie
    # that four or more people all rated 5 stars comes first here.
    hit = titles.index("One Hit Wonder")
    assert results[hit].reason == Reason("highly_rated", stars=5.0, count=1)
    for result in results[hit:]:
        movie = engine.movie(result.movie_id)
        assert movie.ratings < 4 or movie.mean_rating < 5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"gender": "X"}, "gender must be F or M"),
        ({"age": 26}, "age must be an ML-1M age code"),
        ({"age": "old"}, "age must be an ML-1M age code"),
        ({"occupation": 21}, "occupation must be an ML-1M occupation code"),
        ({"occupation": True}, "occupation must be"),
        ({"ratings": {7: 6}}, "the rating of movie 7 must be 1 to 5 stars"),
        ({"ratings": {7: float("nan")}}, "the rating of movie 7 must be 1 to 5"),
        ({"ratings": {7: "5"}}, "the rating of movie 7 must be 1 to 5"),
        ({"ratings": [(7, 5)]}, "ratings must map movie ids to stars"),
        ({"ratings": {"7": 5}}, "a movie id is a whole number"),
    ],
)
def test_bad_input(engine: Recommender, options: dict, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        engine.for_new_user(**options)


def test_unknown_movie_rated(engine: Recommender) -> None:
    with pytest.raises(UnknownMovie, match="no movie with id 8 in this model"):
        engine.for_new_user({8: 5})


def test_demographics_need_a_model_that_has_them(plain_engine: Recommender) -> None:
    assert not plain_engine.has_demographics
    with pytest.raises(InvalidRequest, match="trained without gender, age and occupation"):
        plain_engine.for_new_user(age=25)
    assert plain_engine.for_new_user({7: 5}, n=3)
