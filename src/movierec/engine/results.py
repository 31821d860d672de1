"""What the engine returns: small frozen records that serialise with `dataclasses.asdict`."""

from dataclasses import dataclass
from typing import Literal

from movierec.data.releases import liked_rating

ReasonKind = Literal[
    "rated_it",
    "rated_similar",
    "predicted",
    "similar_to",
    "audience_liked",
    "popular_with",
    "highly_rated",
    "widely_liked",
]
"""What a reason says, before any surface words it:
- rated_it: the person rated this very movie `stars` (a list that keeps rated movies);
- rated_similar: they rated `title` (`movie_id`), the most similar movie they liked, `stars`;
- predicted: nothing they liked explains it; the model predicts `stars` for them;
- similar_to: it is close to `title` in the model's space; `genres` are the genres they share;
- audience_liked: it is ranked for the `audience` viewers who like `title` most, and `count` of
  them rated it `stars` or more (see `Recommender.also_liked`);
- popular_with: it is liked by a group of people (`group`: "25-34 programmers", "women");
- highly_rated: its training ratings average `stars` over `count` ratings (0: none yet);
- widely_liked: `count` viewers rated it `stars` or more, and nothing the person rated is what
  put it in their list (a new user's pick that the head's prior made)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a movie was recommended, as data: each surface (CLI, web) puts it into words."""

    kind: ReasonKind
    movie_id: int | None = None
    """The movie the reason points at: rated, similar to, or whose audience it is."""
    title: str | None = None
    """That movie's display title."""
    stars: float | None = None
    """A rating given, predicted, averaged, or the "liked" threshold (see `ReasonKind`)."""
    count: int | None = None
    """Viewers of the audience who liked it, or training ratings of the movie."""
    audience: int | None = None
    """Viewers in the audience."""
    genres: tuple[str, ...] = ()
    """Genres the movie shares with `title`."""
    group: str | None = None
    """A group of people, as a plural noun: "25-34 programmers"."""


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
    reason: Reason
    """Why, as data: Reason("rated_similar", movie_id=6, title="Heat", stars=5.0)."""


SearchKind = Literal["title", "related", "suggestion"]
"""Why a search lists a movie:
- title: its title has the query's words (every one, or when no title has them all, some);
- related: one of the best match's closest movies in the model's space that has the best match
  among its own closest too (The Empire Strikes Back for "star wars"), after the title matches;
- suggestion: no title has every word; its title is spelled like the query ("did you mean")."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One movie found by a title search."""

    movie_id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    match: float
    """1.0 the whole title; 0.9 every word; 0.8 a word's beginning; 0.7/0.6 a typo corrected;
    below 0.5 some of the words only; 0 for a "related" or "suggestion" hit."""
    ratings: int
    """Number of training ratings: the tie-break among equal matches."""
    kind: SearchKind = "title"
    """What the hit is: see `SearchKind`."""


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


@dataclass(frozen=True, slots=True)
class ExternalIds:
    """Where else a movie is known, when the release says."""

    imdb_id: int | None
    tmdb_id: int | None


@dataclass(frozen=True, slots=True)
class RatingScale:
    """The stars a rating may take: low to high in steps (1-5 by 1, or 0.5-5 by 0.5)."""

    low: float
    high: float
    step: float

    @property
    def liked(self) -> float:
        """The rating from which a rating says "liked": 4 stars on 1-5, 4 on 0.5-5 half stars."""
        return liked_rating(self.low, self.high, self.step)

    @property
    def values(self) -> list[float]:
        """Every rating a person may give, lowest first."""
        count = round((self.high - self.low) / self.step)
        return [round(self.low + index * self.step, 3) for index in range(count + 1)]

    def allows(self, stars: float) -> bool:
        """Whether `stars` is on the scale: in range and exactly on a step (3.0000000001 is off)."""
        if not self.low <= stars <= self.high:  # also refuses NaN, before it reaches round()
            return False
        return stars == round(self.low + round((stars - self.low) / self.step) * self.step, 3)
