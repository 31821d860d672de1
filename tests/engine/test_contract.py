"""The contract every recommendation function keeps: one parametrised suite, run on each."""

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from movierec.engine import (
    Filters,
    InvalidRequest,
    NotFound,
    Recommendation,
    Recommender,
    UnknownMovie,
    UnknownUser,
)
from movierec.errors import MovieRecError

from .conftest import Planted


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
        assert result.reason and "{" not in result.reason
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


@pytest.mark.parametrize("n", [0, -1, 10_000])
def test_n_out_of_range(request_: Request, engine: Recommender, planted: Planted, n: int) -> None:
    with pytest.raises(InvalidRequest, match="between 1 and"):
        request_.run(engine, planted, n=n)


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
