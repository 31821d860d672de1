"""Movie cards: what a page shows of a movie in a row or grid, with its poster and a reason."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, pgettext

from movierec.engine import Movie, Recommendation, SearchHit
from movierec_site.catalog.genres import genre_label
from movierec_site.catalog.reasons import reason_text
from movierec_site.catalog.selectors import movie_map
from movierec_site.posters.providers import GeneratedPosters
from movierec_site.posters.selectors import localized_title_map, poster_url_map

if TYPE_CHECKING:
    from movierec_site.recommendations.selectors import Viewer

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
    original_title: str | None = None
    """The catalogue's title where `title` is the movie's title in the page's language (a
    Chinese title from TMDB): shown beside it."""
    reason: str = ""
    """The reason in words, for whoever the page is about."""
    predicted_for_you: float | None = None
    """The stars the model expects the signed-in account to give it (after its first rating)."""
    your_stars: float | None = None
    mean_rating: float | None = None
    """The dataset's average rating of it; None when nobody rated it."""
    ratings: int | None = None
    rated_on: datetime | None = None
    """When the account last rated it (My ratings)."""
    on_watchlist: bool = False
    hidden: bool = False
    """Hidden by the account: shown only where it looked for it (search, the hidden page)."""

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
            separator = pgettext("between the names in a list of genres", ", ")
            parts.append(separator.join(genre_label(genre) for genre in self.genres[:2]))
        return " · ".join(parts)


def movie_cards(
    items: Sequence[Listed],
    *,
    viewer: "Viewer | None" = None,
    your_stars: dict[int, float] | None = None,
    about_someone_else: bool = False,
    rated_on: dict[int, datetime] | None = None,
) -> list[MovieCard]:
    """Cards for engine results, posters looked up in one batch, each with the dataset's
    average; reasons speak of "this viewer" instead of "you" when the page is
    `about_someone_else` (a dataset user). For a signed-in `viewer`: their stars (unless
    `your_stars` gives them), the stars the model predicts for them, and their watchlist and
    hidden marks; `rated_on` dates their ratings."""
    ids = [item.movie_id for item in items]
    local_titles = localized_title_map(movie_ids=ids, language=get_language() or "")
    posters = poster_url_map(movie_ids=ids)
    generated = GeneratedPosters().urls(ids)
    movies = movie_map(movie_ids=ids)
    predicted: dict[int, float] = {}
    watchlist: frozenset[int] = frozenset()
    hidden: frozenset[int] = frozenset()
    if viewer is not None and viewer.signed_in:
        your_stars = viewer.stars if your_stars is None else your_stars
        predicted = viewer.predicted_stars(ids)
        watchlist, hidden = viewer.watchlist, frozenset(viewer.hidden)
    stars = your_stars or {}
    return [
        MovieCard(
            movie_id=item.movie_id,
            title=local_titles.get(item.movie_id, item.title),
            original_title=item.title if item.movie_id in local_titles else None,
            year=item.year,
            genres=tuple(item.genres),
            poster_url=posters[item.movie_id],
            fallback_url=generated[item.movie_id],
            reason=_reason(item, about_someone_else),
            predicted_for_you=_rounded(predicted.get(item.movie_id)),
            your_stars=stars.get(item.movie_id),
            mean_rating=_rounded(movies[item.movie_id].mean_rating
                                 if item.movie_id in movies else None),
            ratings=movies[item.movie_id].ratings if item.movie_id in movies else None,
            rated_on=(rated_on or {}).get(item.movie_id),
            on_watchlist=item.movie_id in watchlist,
            hidden=item.movie_id in hidden,
            url=movie_url(item.movie_id),
        )
        for item in items
    ]


def _rounded(stars: float | None) -> float | None:
    """To the tenth a card shows: cards that look alike are alike (and share a cached render)."""
    return None if stars is None else round(stars, 1)


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
