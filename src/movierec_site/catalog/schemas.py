"""API output shapes. Plain pydantic models, not ninja's `Schema`: these are built from dicts,
and `Schema`'s attribute-resolving wrapper (meant for ORM objects) tripled the time a list of ten
recommendations took to validate."""

from pydantic import BaseModel


class ErrorOut(BaseModel):
    detail: str


class MovieOut(BaseModel):
    movie_id: int
    title: str
    year: int | None
    genres: list[str]
    ratings: int
    """How many people rated it in the training data."""
    mean_rating: float | None
    poster_url: str
    url: str


class MovieDetailOut(MovieOut):
    imdb_id: int | None
    tmdb_id: int | None


class SearchHitOut(BaseModel):
    movie_id: int
    title: str
    year: int | None
    genres: list[str]
    match: float
    ratings: int
    poster_url: str
    url: str


class RecommendationOut(BaseModel):
    movie_id: int
    title: str
    year: int | None
    genres: list[str]
    score: float
    predicted_rating: float
    reason: str
    poster_url: str
    url: str
