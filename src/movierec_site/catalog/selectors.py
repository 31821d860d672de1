"""Reading the catalogue: the served model's movies, searches and similar-movie lists."""

import re
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import TypeVar

from django.utils.translation import gettext

from movierec.engine import (
    BrowseOrder,
    Filters,
    InvalidRequest,
    Movie,
    NotFound,
    Recommendation,
    Recommender,
    SearchHit,
)
from movierec_site.posters.selectors import localized_search_ids
from movierec_site.recommendations.selectors import Viewer
from movierec_site.serving.engine import current_engine
from movierec_site.serving.memo import memoized

HOME_GENRE_ROWS = 6

T = TypeVar("T")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
"""Chinese characters: a query with one may be a Chinese title TMDB gave."""


@dataclass(frozen=True)
class MovieDetail:
    movie: Movie
    imdb_id: int | None
    tmdb_id: int | None
    histogram: list[tuple[int, int, float]]
    """(stars, ratings, share of the largest bar) from five stars down."""


def genre_list() -> list[str]:
    return current_engine().genres


def genre_get(*, name: str) -> str:
    """The catalogue's spelling of a genre name (any case); NotFound for a genre it lacks."""
    by_folded = {genre.casefold(): genre for genre in current_engine().genres}
    try:
        return by_folded[name.casefold()]
    except KeyError:
        message = gettext("no genre called %(name)r in this catalogue") % {"name": name}
        raise NotFound(message) from None


def movie_get(*, movie_id: int) -> Movie:
    """The movie; UnknownMovie when the served model lacks it."""
    return current_engine().movie(movie_id)


def movie_detail_get(*, movie_id: int) -> MovieDetail:
    engine = current_engine()
    ids = engine.external_ids(movie_id)
    bars = engine.rating_histogram(movie_id)
    tallest = max((count for _, count in bars), default=0) or 1
    histogram = [(stars, count, count / tallest) for stars, count in bars]
    return MovieDetail(engine.movie(movie_id), ids.imdb_id, ids.tmdb_id, histogram)


def movie_list(
    *,
    limit: int,
    offset: int = 0,
    genre: str | None = None,
    year_min: int | None = None,
    year_max: int | None = None,
    exclude: tuple[int, ...] = (),
) -> list[Movie]:
    """Movies by how many people rated them, most first, optionally of one genre and era,
    never one of `exclude` (what an account hid)."""
    filters = Filters(genres=(genre,) if genre else (), year_min=year_min, year_max=year_max,
                      exclude=exclude)
    return movie_browse_list(order="most_rated", filters=filters, limit=limit, offset=offset)


def movie_browse_list(*, order: BrowseOrder, filters: Filters, limit: int, offset: int = 0
                      ) -> list[Movie]:
    """The catalogue in `order` ("most_rated", "newest", "title"), `filters` applied."""
    engine = current_engine()
    return _shared(engine, ("browse", order, filters, limit, offset),
                   lambda: engine.browse(limit, order=order, filters=filters, offset=offset),
                   personal=_personal(filters))


def movie_count(*, filters: Filters) -> int:
    """How many movies `filters` allow."""
    engine = current_engine()
    return _shared(engine, ("count", filters), lambda: engine.count(filters),
                   personal=_personal(filters))


def movie_map(*, movie_ids: Collection[int]) -> dict[int, Movie]:
    """{movie id: the catalogue's entry} of the ids the served model has."""
    engine = current_engine()
    return {movie_id: memoized(engine, ("movie", movie_id), lambda m=movie_id: engine.movie(m))
            for movie_id in engine.known_movies(movie_ids)}


def movie_top_rated_list(*, n: int, filters: Filters | None = None, offset: int = 0
                         ) -> list[Recommendation]:
    """The best-rated movies (a Bayesian average, so a handful of fans cannot top the list)
    that `filters` allow, from the `offset`th on."""
    engine = current_engine()
    filters = filters or Filters()
    return _shared(engine, ("top-rated", n, filters, offset),
                   lambda: engine.for_new_user({}, n=offset + n, filters=filters)[offset:],
                   personal=_personal(filters))


def movie_sorted_list(*, sort: str, filters: Filters, limit: int, offset: int,
                      viewer: Viewer) -> list[Movie] | list[Recommendation]:
    """A page of the movies `filters` allow, sorted: "best_rated", "predicted" (the stars the
    model expects the account to give, most first), or a browse order of the engine."""
    if sort == "best_rated":
        return movie_top_rated_list(n=limit, filters=filters, offset=offset)
    if sort != "predicted":
        return movie_browse_list(order=sort, filters=filters, limit=limit, offset=offset)
    everything = movie_browse_list(order="most_rated", filters=filters,
                                   limit=max(movie_count(filters=filters), 1))
    stars = viewer.predicted_stars([movie.movie_id for movie in everything])
    ranked = sorted(everything, key=lambda movie: -stars.get(movie.movie_id, 0.0))
    return ranked[offset:offset + limit]


def movie_search_list(*, query: str, n: int) -> list[SearchHit]:
    """Movies whose title matches `query`, typos forgiven, then movies related to the best
    match; or, when no title has every word, titles spelled like it first (`SearchHit.kind`
    says which is which). Empty for a blank query."""
    if not query.strip():
        return []
    engine = current_engine()
    # A title in Chinese is no catalogue title: the ones TMDB gave come first, whole matches.
    chinese = CJK.search(query) is not None
    local = [engine.movie(movie_id)
             for movie_id in (localized_search_ids(query=query, n=n) if chinese else [])]
    found = [SearchHit(movie.movie_id, movie.title, movie.year, movie.genres, 1.0, movie.ratings)
             for movie in local]
    try:
        hits = engine.search(query, n=n)
    except InvalidRequest:
        if not found:  # nothing in the catalogue's own words to search for ("——")
            raise
        hits = []
    seen = {hit.movie_id for hit in found}
    return (found + [hit for hit in hits if hit.movie_id not in seen])[:n]


def search_example_list(*, n: int = 2) -> list[str]:
    """Titles to offer as examples of a search: the served model's most rated, so that every
    example is a movie this release has."""
    return [movie.title for movie in movie_list(limit=n)]


def movie_similar_list(*, movie_id: int, n: int, exclude: tuple[int, ...] = ()
                       ) -> list[Recommendation]:
    """The movies closest to this one in the model's space; never the movie itself, nor one
    of `exclude`."""
    engine = current_engine()
    filters = Filters(exclude=exclude)
    return _shared(engine, ("similar", movie_id, n),
                   lambda: engine.similar_movies(movie_id, n=n, filters=filters),
                   personal=bool(exclude))


def movie_also_liked_list(*, movie_id: int, n: int, exclude: tuple[int, ...] = ()
                          ) -> list[Recommendation]:
    """The model's picks for the movie's fans (up to 50 people who rated it highly), as a
    group, never one of `exclude`; each reason says how many of them liked the pick."""
    engine = current_engine()
    filters = Filters(exclude=exclude)
    return _shared(
        engine,
        ("also-liked", movie_id, n),
        lambda: engine.also_liked(movie_id, n=n, audience="raters", filters=filters),
        personal=bool(exclude),
    )


def home_genre_list() -> list[str]:
    """The genres with the most movies: one home page row each."""
    engine = current_engine()

    def largest() -> list[str]:
        sizes = engine.genre_counts()
        return sorted(sizes, key=lambda genre: (-sizes[genre], genre))[:HOME_GENRE_ROWS]

    return memoized(engine, "home-genres", largest)


def _personal(filters: Filters) -> bool:
    """Whether a list under `filters` is one account's: it leaves out what the account hid, or
    keeps only its own movies."""
    return bool(filters.exclude) or filters.only is not None


def _shared(engine: Recommender, key: Hashable, compute: Callable[[], T], *,
            personal: bool) -> T:
    """`compute()`, remembered per model for everyone unless the answer is `personal` (it leaves
    out what one account hid): that one is computed afresh, and costs no memo entry."""
    return compute() if personal else memoized(engine, key, compute)
