"""Reading the catalogue: the served model's movies, searches and similar-movie lists."""

from dataclasses import dataclass

from movierec.engine import Filters, Movie, NotFound, Recommendation, SearchHit
from movierec_site.serving.engine import current_engine
from movierec_site.serving.memo import memoized

HOME_GENRE_ROWS = 6


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
        raise NotFound(f"no genre called {name!r} in this catalogue") from None


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
) -> list[Movie]:
    """Movies by how many people rated them, most first, optionally of one genre and era."""
    engine = current_engine()
    filters = Filters(genres=(genre,) if genre else (), year_min=year_min, year_max=year_max)
    return memoized(
        engine,
        ("most-rated", limit, offset, genre, year_min, year_max),
        lambda: engine.most_rated(limit, offset=offset, filters=filters),
    )


def movie_top_rated_list(*, n: int, genre: str | None = None) -> list[Recommendation]:
    """The best-rated movies (a Bayesian average, so a handful of fans cannot top the list)."""
    engine = current_engine()
    filters = Filters(genres=(genre,)) if genre else None
    return memoized(
        engine, ("top-rated", n, genre), lambda: engine.for_new_user({}, n=n, filters=filters)
    )


def movie_search_list(*, query: str, n: int) -> list[SearchHit]:
    """Movies whose title matches `query`, typos forgiven; empty for a blank query."""
    if not query.strip():
        return []
    return current_engine().search(query, n=n)


def movie_similar_list(*, movie_id: int, n: int) -> list[Recommendation]:
    """The movies closest to this one in the model's space; never the movie itself."""
    engine = current_engine()
    return memoized(engine, ("similar", movie_id, n), lambda: engine.similar_movies(movie_id, n=n))


def movie_also_liked_list(*, movie_id: int, n: int) -> list[Recommendation]:
    """The model's picks for the movie's fans (up to 50 people who rated it highly), as a
    group; each reason says how many of them liked the pick."""
    engine = current_engine()
    return memoized(
        engine,
        ("also-liked", movie_id, n),
        lambda: engine.also_liked(movie_id, n=n, audience="raters"),
    )


def home_genre_list() -> list[str]:
    """The genres with the most movies: one home page row each."""
    engine = current_engine()

    def largest() -> list[str]:
        sizes = engine.genre_counts()
        return sorted(sizes, key=lambda genre: (-sizes[genre], genre))[:HOME_GENRE_ROWS]

    return memoized(engine, "home-genres", largest)
