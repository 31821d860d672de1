"""The contract every recommendation function keeps: one parametrised suite, run on each; and
the reads a site makes beside them (scale, ids, a user's ratings, a histogram, most rated...)."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pytest

from movierec.artifacts import write_artifact
from movierec.engine import (
    ExternalIds,
    Filters,
    InvalidRequest,
    NotFound,
    Reason,
    ReasonKind,
    Recommendation,
    Recommender,
    UnknownMovie,
    UnknownUser,
)
from movierec.errors import MovieRecError

from .conftest import PER_CLUSTER, Planted


@dataclass(frozen=True)
class Request:
    """One recommendation function, called the way a caller would, plus what it must leave out."""

    run: Callable[..., list[Recommendation]]
    """(engine, planted, **options) -> results."""
    excluded: Callable[[Planted], set[int]]
    """Movie ids it must never return."""
    unknown: Callable[[Recommender], object] | None
    """A call with an id the model lacks, or None when the function takes no id."""
    not_found: type[NotFound] | None = None


def _heat(planted: Planted) -> int:
    return planted.movie_id("Heat")


REQUESTS = {
    "for_user": Request(
        run=lambda e, p, **o: e.for_user(p.user_in(0), **o),
        excluded=lambda p: set(p.seen[p.user_in(0)]),
        unknown=lambda e: e.for_user(99_999),
        not_found=UnknownUser,
    ),
    "similar_movies": Request(
        run=lambda e, p, **o: e.similar_movies(_heat(p), **o),
        excluded=lambda p: {_heat(p)},
        unknown=lambda e: e.similar_movies(99_999),
        not_found=UnknownMovie,
    ),
    "also_liked": Request(
        run=lambda e, p, **o: e.also_liked(_heat(p), **o),
        excluded=lambda p: {_heat(p)},
        unknown=lambda e: e.also_liked(99_999),
        not_found=UnknownMovie,
    ),
    "also_liked_raters": Request(
        run=lambda e, p, **o: e.also_liked(_heat(p), audience="raters", **o),
        excluded=lambda p: {_heat(p)},
        unknown=lambda e: e.also_liked(99_999, audience="raters"),
        not_found=UnknownMovie,
    ),
    "for_new_user_ratings": Request(
        run=lambda e, p, **o: e.for_new_user({_heat(p): 5, p.movie_id("Speed"): 4}, **o),
        excluded=lambda p: {_heat(p), p.movie_id("Speed")},
        unknown=lambda e: e.for_new_user({99_999: 5}),
        not_found=UnknownMovie,
    ),
    "for_new_user_demographics": Request(
        run=lambda e, p, **o: e.for_new_user(gender="F", age=25, occupation=12, **o),
        excluded=lambda p: set(),
        unknown=None,
    ),
    "for_new_user_nothing": Request(
        run=lambda e, p, **o: e.for_new_user(**o),
        excluded=lambda p: set(),
        unknown=None,
    ),
}


@pytest.fixture(params=list(REQUESTS), ids=list(REQUESTS))
def request_(request: pytest.FixtureRequest) -> Request:
    return REQUESTS[request.param]


def test_results_are_well_formed(request_: Request, engine: Recommender, planted: Planted) -> None:
    results = request_.run(engine, planted, n=8)
    assert len(results) == 8
    for result in results:
        assert isinstance(result, Recommendation)
        assert math.isfinite(result.score)
        assert 1.0 <= result.predicted_rating <= 5.0
        assert isinstance(result.reason, Reason) and result.reason.kind in get_args(ReasonKind)
        assert result.title and "(" not in result.title[-6:]
    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True)


def test_no_duplicates_and_nothing_excluded(
    request_: Request, engine: Recommender, planted: Planted
) -> None:
    every = len(planted.movie_ids)
    results = request_.run(engine, planted, n=every)
    found = [result.movie_id for result in results]
    assert len(found) == len(set(found))
    assert not set(found) & request_.excluded(planted)
    assert len(found) == every - len(request_.excluded(planted))


@pytest.mark.parametrize("n", [0, -1])
def test_n_below_one(request_: Request, engine: Recommender, planted: Planted, n: int) -> None:
    with pytest.raises(InvalidRequest, match="n must be 1 or more"):
        request_.run(engine, planted, n=n)


def test_more_than_there_is_gives_what_there_is(
    request_: Request, engine: Recommender, planted: Planted
) -> None:
    results = request_.run(engine, planted, n=10_000)
    assert len(results) == len(planted.movie_ids) - len(request_.excluded(planted))


@pytest.mark.parametrize("n", [2.5, "3", True])
def test_n_not_a_whole_number(
    request_: Request, engine: Recommender, planted: Planted, n: object
) -> None:
    with pytest.raises(InvalidRequest, match="whole number"):
        request_.run(engine, planted, n=n)


def test_unknown_id(request_: Request, engine: Recommender) -> None:
    if request_.unknown is None:
        pytest.skip("takes no id")
    with pytest.raises(request_.not_found, match="99999") as raised:
        request_.unknown(engine)
    assert isinstance(raised.value, MovieRecError)


def test_unknown_genre(request_: Request, engine: Recommender, planted: Planted) -> None:
    with pytest.raises(InvalidRequest, match=r"unknown genre 'Westerns'.*Animation"):
        request_.run(engine, planted, n=3, filters=Filters(genres=("Westerns",)))


def test_filters_apply(request_: Request, engine: Recommender, planted: Planted) -> None:
    results = request_.run(engine, planted, n=5, filters=Filters(genres=("horror",)))
    assert results and all("Horror" in result.genres for result in results)


def test_sampling_is_seeded(request_: Request, engine: Recommender, planted: Planted) -> None:
    first = request_.run(engine, planted, n=3, sample_from=20, seed=5)
    again = request_.run(engine, planted, n=3, sample_from=20, seed=5)
    top = {r.movie_id for r in request_.run(engine, planted, n=20)}
    assert [r.movie_id for r in first] == [r.movie_id for r in again]
    assert {r.movie_id for r in first} <= top
    draws = {
        tuple(r.movie_id for r in request_.run(engine, planted, n=3, sample_from=20, seed=s))
        for s in range(8)
    }
    assert len(draws) > 1


# The reads beside the recommendation functions.


def test_rating_scale(engine: Recommender) -> None:
    scale = engine.rating_scale
    assert (scale.low, scale.high, scale.step, scale.liked) == (1.0, 5.0, 1.0, 4.0)
    assert scale.values == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert scale.allows(3) and not scale.allows(3.5) and not scale.allows(0)


def test_catalogue_size_and_user_count(engine: Recommender, planted: Planted) -> None:
    assert engine.catalogue_size == len(planted.movie_ids)
    assert engine.user_count == len(planted.user_ids)


def test_knows_movie(engine: Recommender, planted: Planted) -> None:
    assert engine.knows_movie(planted.movie_id("Heat"))
    assert not any(engine.knows_movie(value) for value in (8, 99_999, "7", True, None))


def test_external_ids(engine: Recommender, planted: Planted, tmp_path: Path) -> None:
    heat = planted.movie_id("Heat")
    assert engine.external_ids(heat) == ExternalIds(None, None)
    records = [dict(record) for record in planted.documents["movies"]]
    records[0] |= {"imdb_id": "0113277", "tmdb_id": 949}
    documents = planted.documents | {"movies": records}
    path = write_artifact(tmp_path / "model", arrays=planted.arrays, documents=documents)
    assert Recommender.from_artifact(path).external_ids(heat) == ExternalIds(113277, 949)
    with pytest.raises(UnknownMovie, match="99999"):
        engine.external_ids(99_999)


def test_user_ratings(engine: Recommender, planted: Planted) -> None:
    user = planted.user_in(1)
    ratings = engine.user_ratings(user)
    assert dict(ratings) == planted.seen[user] and len(ratings) == len(planted.seen[user])
    stars = [value for _, value in ratings]
    assert stars == sorted(stars, reverse=True)
    # Every Animation fan rated Toy Story 5 stars: the most rated of their 5-star movies.
    assert ratings[0] == (planted.movie_id("Toy Story ("), 5.0)
    with pytest.raises(UnknownUser, match="99999"):
        engine.user_ratings(99_999)


def test_rating_histogram(engine: Recommender, planted: Planted) -> None:
    toy_story = planted.movie_id("Toy Story (")
    assert engine.rating_histogram(toy_story) == [(5, 10), (4, 0), (3, 0), (2, 0), (1, 0)]
    assert engine.rating_histogram(planted.movie_id("Obscure Film")) == [
        (stars, 0) for stars in range(5, 0, -1)
    ]
    with pytest.raises(UnknownMovie, match="99999"):
        engine.rating_histogram(99_999)


def test_most_rated(engine: Recommender, planted: Planted) -> None:
    first = engine.most_rated(8)
    counts = [movie.ratings for movie in first]
    assert counts == sorted(counts, reverse=True) and first[0].title == "Toy Story"
    assert engine.most_rated(3, offset=2) == first[2:5]
    horror = engine.most_rated(100, filters=Filters(genres=("horror",)))
    assert len(horror) == PER_CLUSTER and all("Horror" in movie.genres for movie in horror)
    everything = engine.most_rated(10_000)
    assert len(everything) == len(planted.movie_ids)
    assert engine.most_rated(5, offset=len(planted.movie_ids) - 2) == everything[-2:]
    with pytest.raises(InvalidRequest, match="offset must be a whole number from 0 up"):
        engine.most_rated(5, offset=-1)
    with pytest.raises(InvalidRequest, match="n must be 1 or more"):
        engine.most_rated(0)


def test_genre_counts(engine: Recommender, planted: Planted) -> None:
    counts = engine.genre_counts()
    assert list(counts) == engine.genres
    for genre, count in counts.items():
        movies = [r for r in planted.documents["movies"] if genre in r["genres"]]
        assert count == len(movies), genre


def test_dataset_users(engine: Recommender, planted: Planted) -> None:
    ids, counts = engine.dataset_users()
    assert ids.tolist() == planted.user_ids.tolist()
    assert counts.tolist() == [len(planted.seen[user]) for user in planted.user_ids.tolist()]
    with pytest.raises(ValueError, match="read-only"):
        ids[0] = 1


def test_search_takes_filters(engine: Recommender) -> None:
    hits = engine.search("the", n=50, filters=Filters(genres=("Horror",)))
    assert hits and all("Horror" in hit.genres for hit in hits)
    assert len(engine.search("the", n=10_000)) > len(hits)
