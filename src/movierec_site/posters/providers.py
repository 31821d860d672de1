"""Poster providers: given movie ids, the address of each movie's poster, without waiting.

`GeneratedPosters` draws every poster locally. `TmdbPosters` answers from the database cache and
asks the background fetcher for the ones it lacks (and for Chinese titles not asked yet),
showing the generated poster meanwhile.
"""

import threading
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from movierec_site.posters.fetcher import PosterFetcher
from movierec_site.posters.models import CHINESE_TITLE_LANGUAGES, CachedPoster
from movierec_site.posters.services import poster_fetch_in_background
from movierec_site.posters.tmdb import TmdbClient

MISSING_RECHECK = timedelta(days=30)
"""TMDB adds posters over time; a movie it had none for is asked again after this long."""


class PosterProvider(Protocol):
    def urls(self, movie_ids: list[int]) -> dict[int, str]:
        """{movie id: poster address} for every id; never blocks on the network."""
        ...


class GeneratedPosters:
    def urls(self, movie_ids: list[int]) -> dict[int, str]:
        # One reverse() for the whole list: pages show up to a hundred cards.
        prefix = reverse("posters:generated", args=[0]).removesuffix("0.svg")
        # Pages in Chinese ask for posters drawn with the Chinese title: another address, as
        # the posters are cached publicly.
        language = (translation.get_language() or "").lower()
        query = f"?lang={language}" if language in CHINESE_TITLE_LANGUAGES else ""
        return {movie_id: f"{prefix}{movie_id}.svg{query}" for movie_id in movie_ids}


class TmdbPosters:
    def __init__(self, fetcher: PosterFetcher, retry_after: timedelta) -> None:
        self.fetcher = fetcher
        self.retry_after = retry_after
        self.generated = GeneratedPosters()

    def urls(self, movie_ids: list[int]) -> dict[int, str]:
        found = self.generated.urls(movie_ids)
        now = timezone.now()
        known: set[int] = set()
        stale: list[int] = []
        rows = CachedPoster.objects.filter(movie_id__in=movie_ids).values_list(
            "movie_id", "status", "url", "fetched_at", "chinese_checked"
        )
        for movie_id, status, url, fetched_at, chinese_checked in rows:
            known.add(movie_id)
            if status == CachedPoster.Status.FOUND:
                found[movie_id] = url
            if self._is_stale(status, chinese_checked, now - fetched_at):
                stale.append(movie_id)
        self.fetcher.request([m for m in movie_ids if m not in known] + stale)
        return found

    def _is_stale(self, status: str, chinese_checked: bool, age: timedelta) -> bool:
        """A failed request is retried after `retry_after`, a poster TMDB had none of after a
        month; a found poster is kept, and its movie asked again only for its Chinese title."""
        if status == CachedPoster.Status.FAILED or not chinese_checked:
            return age > self.retry_after
        return status == CachedPoster.Status.MISSING and age > MISSING_RECHECK


_fetchers: dict[TmdbClient, PosterFetcher] = {}
_fetchers_lock = threading.Lock()


def tmdb_fetcher(client: TmdbClient) -> PosterFetcher:
    """The background fetcher of one TMDB configuration, started on first use."""
    with _fetchers_lock:
        if client not in _fetchers:
            _fetchers[client] = PosterFetcher(
                lambda movie_id: poster_fetch_in_background(client=client, movie_id=movie_id),
                workers=settings.TMDB_WORKERS,
                pause_seconds=settings.TMDB_PAUSE_SECONDS,
            )
        return _fetchers[client]


def tmdb_fetchers() -> list[PosterFetcher]:
    """Every background fetcher started in this process."""
    with _fetchers_lock:
        return list(_fetchers.values())


def tmdb_client() -> TmdbClient | None:
    """The configured TMDB client; None without TMDB_API_KEY."""
    if not settings.TMDB_API_KEY:
        return None
    return TmdbClient(
        api_url=settings.TMDB_API_URL,
        api_key=settings.TMDB_API_KEY,
        image_url=settings.TMDB_IMAGE_URL,
        timeout=settings.TMDB_TIMEOUT_SECONDS,
    )


def poster_provider() -> PosterProvider:
    """TMDB posters when TMDB_API_KEY is set, generated ones otherwise."""
    client = tmdb_client()
    if client is None:
        return GeneratedPosters()
    return TmdbPosters(tmdb_fetcher(client), timedelta(seconds=settings.TMDB_RETRY_SECONDS))
