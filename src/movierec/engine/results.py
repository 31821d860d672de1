"""What the engine returns: small frozen records that serialise with `dataclasses.asdict`."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommended movie."""

    movie_id: int
    title: str
    """The title as a person writes it: year removed, leading article in front."""
    year: int | None
    genres: tuple[str, ...]
    score: float
    """What the list is ranked by: the model's score, a cosine, or a Bayesian average rating."""
    predicted_rating: float
    """The rating head's u.m + b_u + b_m + g, clipped to the rating scale, for whoever the list
    is for: the user, the new user, the movie's audience, or the average user (similar movies,
    popularity)."""
    reason: str
    """Why, in a few words: "because you rated Heat 5 stars"."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One movie found by a title search."""

    movie_id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    match: float
    """1.0 the whole title; 0.9 every word; 0.8 a word's beginning; 0.7/0.6 a typo corrected;
    below 0.5 some of the words only."""
    ratings: int
    """Number of training ratings: the tie-break among equal matches."""


@dataclass(frozen=True, slots=True)
class Movie:
    """A movie of the catalogue, for showing the one a list is about."""

    movie_id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    ratings: int
    """Number of training ratings."""
    mean_rating: float | None
    """Mean training rating; None when it has none."""
