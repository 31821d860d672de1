"""/api/movies: list, search, detail, similar and also-liked."""

from django.http import HttpRequest
from ninja import Query, Router

from movierec_site.api_shared import ERRORS, Count, MovieId
from movierec_site.catalog.cards import movie_payloads
from movierec_site.catalog.schemas import MovieDetailOut, MovieOut, RecommendationOut, SearchHitOut
from movierec_site.catalog.selectors import (
    genre_get,
    movie_also_liked_list,
    movie_detail_get,
    movie_list,
    movie_search_list,
    movie_similar_list,
)

router = Router(tags=["movies"])


@router.get("/movies", response={200: list[MovieOut], **ERRORS}, summary="List movies")
def list_movies(
    request: HttpRequest,
    genre: str | None = Query(None, max_length=100, description="Only movies of this genre"),
    year_min: int | None = Query(None, ge=1800, le=3000),
    year_max: int | None = Query(None, ge=1800, le=3000),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Movies by how many people rated them, most first, optionally of one genre and era."""
    canonical = genre_get(name=genre) if genre else None
    if year_min is not None and year_max is not None and year_min > year_max:
        return []  # no movie falls in an empty range (the schema cannot say min <= max)
    return movie_payloads(
        movie_list(
            limit=limit, offset=offset, genre=canonical, year_min=year_min, year_max=year_max
        )
    )


@router.get("/movies/search", response={200: list[SearchHitOut], **ERRORS}, summary="Search titles")
def search_movies(
    request: HttpRequest,
    q: str = Query(
        ..., min_length=1, max_length=200, description="Part of a title; typos are fine"
    ),
    n: int = Count,
):
    """Movies whose title has every word, best match first (whole title, every word, a word's
    start, then a typo corrected; then the phrase, then the most rated), then up to three movies
    the model puts beside the best match (`kind` "related"). When no title has every word: up
    to three titles spelled like the query (`kind` "suggestion", "did you mean"), then the
    titles with the query's rarer words; a title much weaker than the best is left out."""
    return movie_payloads(movie_search_list(query=q, n=n))


@router.get("/movies/{movie_id}", response={200: MovieDetailOut, **ERRORS}, summary="One movie")
def get_movie(request: HttpRequest, movie_id: int = MovieId):
    detail = movie_detail_get(movie_id=movie_id)
    return {
        **movie_payloads([detail.movie])[0],
        "imdb_id": detail.imdb_id,
        "tmdb_id": detail.tmdb_id,
    }


@router.get(
    "/movies/{movie_id}/similar",
    response={200: list[RecommendationOut], **ERRORS},
    summary="Similar movies",
)
def similar_movies(request: HttpRequest, movie_id: int = MovieId, n: int = Count):
    """The movies nearest this one in the model's movie space (cosine); never itself."""
    return movie_payloads(movie_similar_list(movie_id=movie_id, n=n))


@router.get(
    "/movies/{movie_id}/also-liked",
    response={200: list[RecommendationOut], **ERRORS},
    summary="Viewers also liked",
)
def also_liked(request: HttpRequest, movie_id: int = MovieId, n: int = Count):
    """The model's picks for the people who rated this movie highly (up to 50), as a group,
    in the order of their predicted taste; each reason says how many of them liked the pick.
    Never the movie itself."""
    return movie_payloads(movie_also_liked_list(movie_id=movie_id, n=n))
