"""Fetching one poster from TMDB and caching the answer; run by the background fetcher."""

from django.db import close_old_connections, connection
from django.utils import timezone

from movierec_site.posters.fetcher import FetchFailed
from movierec_site.posters.models import CachedPoster
from movierec_site.posters.tmdb import TmdbClient, TmdbUnavailable
from movierec_site.serving.engine import current_engine


def poster_cache_store(*, movie_id: int, status: str, url: str = "") -> CachedPoster:
    poster, _ = CachedPoster.objects.update_or_create(
        movie_id=movie_id,
        defaults={"status": status, "url": url, "fetched_at": timezone.now()},
    )
    return poster


def poster_fetch(*, client: TmdbClient, movie_id: int) -> None:
    """Ask TMDB for the movie's poster and cache the answer; FetchFailed when TMDB is down."""
    engine = current_engine()
    movie = engine.movie(movie_id)
    ids = engine.external_ids(movie_id)
    try:
        url = client.poster_url(tmdb_id=ids.tmdb_id, title=movie.title, year=movie.year)
    except TmdbUnavailable as error:
        poster_cache_store(movie_id=movie_id, status=CachedPoster.Status.FAILED)
        raise FetchFailed(str(error)) from None
    if url:
        poster_cache_store(movie_id=movie_id, status=CachedPoster.Status.FOUND, url=url)
    else:
        poster_cache_store(movie_id=movie_id, status=CachedPoster.Status.MISSING)


def poster_fetch_in_background(*, client: TmdbClient, movie_id: int) -> None:
    """`poster_fetch` for a worker thread, which owns its database connection and closes it."""
    close_old_connections()
    try:
        poster_fetch(client=client, movie_id=movie_id)
    finally:
        connection.close()
