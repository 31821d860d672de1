"""API output shapes. Plain pydantic models, not ninja's `Schema`: these are built from dicts,
and `Schema`'s attribute-resolving wrapper (meant for ORM objects) tripled the time a list of ten
recommendations took to validate."""

from pydantic import BaseModel, Field

from movierec.engine import ReasonKind, SearchKind


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
    match: float = Field(
        description="How well the title matches: 1.0 the whole title (or an alternative title), "
        "0.9 every word, 0.8 a word's start, 0.7/0.6 a typo corrected, below 0.5 some of the "
        "words only; 0 for a related movie or a suggestion."
    )
    ratings: int
    kind: SearchKind = Field(
        description='"title": the title has the words (every one; or, when no title has them '
        'all, some). "related": after the title matches, a movie the model puts beside the '
        'best one (a sequel whose title lacks the words). "suggestion": no title has every '
        'word, and this one is spelled like the query ("did you mean"); suggestions come '
        "first."
    )
    poster_url: str
    url: str


class ReasonOut(BaseModel):
    """Why a movie was recommended, as data; which fields are set depends on `kind`."""

    kind: ReasonKind
    movie_id: int | None
    """The movie the reason points at: one rated, the one it is similar to, or whose audience
    it was picked for."""
    title: str | None
    stars: float | None
    """Stars given, predicted or averaged; for "audience_liked" the rating that counts as liked."""
    count: int | None
    """Viewers of the audience who liked it ("audience_liked"), or ratings ("highly_rated")."""
    audience: int | None
    """Viewers the list was picked for ("audience_liked")."""
    genres: list[str]
    """Genres shared with the movie it is similar to ("similar_to")."""
    group: str | None
    """The people it is popular with ("popular_with")."""


class RecommendationOut(BaseModel):
    movie_id: int
    title: str
    year: int | None
    genres: list[str]
    score: float
    predicted_rating: float
    reason: str
    """The reason in words."""
    reason_detail: ReasonOut
    """The same reason as data, for clients that word it themselves."""
    poster_url: str
    url: str
