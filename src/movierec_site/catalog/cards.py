"""Movie cards: what a page shows of a movie in a row or grid, with its poster and a reason."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.urls import get_script_prefix, reverse

from movierec.engine import Movie, Recommendation, SearchHit
from movierec_site.catalog.reasons import reason_text
from movierec_site.posters.providers import GeneratedPosters
from movierec_site.posters.selectors import poster_url_map

Listed = Movie | Recommendation | SearchHit


@dataclass(frozen=True)
class MovieCard:
    movie_id: int
    title: str
    year: int | None
    genres: tuple[str, ...]
    poster_url: str
    fallback_url: str
    """The generated poster, shown if the poster above fails to load."""
    reason: str = ""
    """The reason in words, for whoever the page is about."""
    predicted_rating: float | None = None
    your_stars: float | None = None
    mean_rating: float | None = None
    ratings: int | None = None

    url: str = ""
    """The movie's page."""

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def meta(self) -> str:
        """ "1995 · Action, Crime": the line under the title."""
        parts = [str(self.year)] if self.year else []
        if self.genres:
            parts.append(", ".join(self.genres[:2]))
        return " · ".join(parts)


def movie_cards(
    items: Sequence[Listed],
    *,
    your_stars: dict[int, float] | None = None,
    about_someone_else: bool = False,
) -> list[MovieCard]:
    """Cards for engine results, posters looked up in one batch; reasons speak of "this viewer"
    instead of "you" when the page is `about_someone_else` (a dataset user)."""
    posters = poster_url_map(movie_ids=[item.movie_id for item in items])
    generated = GeneratedPosters().urls([item.movie_id for item in items])
    stars = your_stars or {}
    return [
        MovieCard(
            movie_id=item.movie_id,
            title=item.title,
            year=item.year,
            genres=tuple(item.genres),
            poster_url=posters[item.movie_id],
            fallback_url=generated[item.movie_id],
            reason=_reason(item, about_someone_else),
            predicted_rating=getattr(item, "predicted_rating", None),
            your_stars=stars.get(item.movie_id),
            mean_rating=getattr(item, "mean_rating", None),
            ratings=item.ratings if isinstance(item, Movie | SearchHit) else None,
            url=movie_url(item.movie_id),
        )
        for item in items
    ]


def movie_payloads(items: Sequence[Listed], *, about_someone_else: bool = False) -> list[dict]:
    """The engine's records as API objects: every field, plus the poster and the page address;
    a recommendation's reason in words ("reason") and as data ("reason_detail")."""
    posters = poster_url_map(movie_ids=[item.movie_id for item in items])
    # A shallow copy of the slots: dataclasses.asdict deep-copies field by field and cost a third
    # of a recommendation request's time.
    return [
        {
            **{name: getattr(item, name) for name in item.__slots__},
            **_reason_fields(item, about_someone_else),
            "poster_url": posters[item.movie_id],
            "url": movie_url(item.movie_id),
        }
        for item in items
    ]


def _reason(item: Listed, about_someone_else: bool) -> str:
    if not isinstance(item, Recommendation):
        return ""
    return reason_text(item.reason, about_someone_else=about_someone_else)


def _reason_fields(item: Listed, about_someone_else: bool) -> dict:
    if not isinstance(item, Recommendation):
        return {}
    reason = item.reason
    return {
        "reason": reason_text(reason, about_someone_else=about_someone_else),
        "reason_detail": {name: getattr(reason, name) for name in reason.__slots__},
    }


def movie_url(movie_id: int) -> str:
    """The movie's page."""
    return f"{_movie_url_prefix(get_script_prefix())}{movie_id}/"


@cache
def _movie_url_prefix(script_prefix: str) -> str:
    # reverse() once rather than per movie: pages show up to a hundred, API lists as many.
    return reverse("catalog:movie", args=[0]).removesuffix("0/")
