"""Fetching one movie's poster and Chinese title from TMDB and caching the answers; run by the
background fetcher."""

from django.db import close_old_connections, connection
from django.utils import timezone

from movierec_site.posters.fetcher import FetchFailed
from movierec_site.posters.models import CachedPoster
from movierec_site.posters.tmdb import ChineseText, TmdbClient, TmdbUnavailable
from movierec_site.serving.engine import current_engine


def poster_cache_store(*, movie_id: int, status: str, url: str = "") -> CachedPoster:
    poster, _ = CachedPoster.objects.update_or_create(
        movie_id=movie_id,
        defaults={"status": status, "url": url, "fetched_at": timezone.now()},
    )
    return poster


def chinese_text_store(*, movie_id: int, text: ChineseText | None, checked: bool) -> None:
    """Record TMDB's answer about the movie's Chinese title (None: it has none), or with
    `checked=False` that asking failed; the poster's row must exist."""
    title_field = CachedPoster._meta.get_field("chinese_title")
    CachedPoster.objects.filter(movie_id=movie_id).update(
        chinese_title=text.title[: title_field.max_length] if text else "",
        chinese_overview=text.overview if text else "",
        chinese_checked=checked,
        fetched_at=timezone.now(),
    )


def poster_fetch(*, client: TmdbClient, movie_id: int) -> None:
    """Ask TMDB for what the cache lacks of a movie, its poster and its Chinese title, and
    cache the answers; FetchFailed when TMDB is down.

    A found poster is not asked again (rows cached before Chinese titles were only lack the
    title). Movies without a TMDB id get no Chinese title: a search by title and year is a
    guess, good enough for a picture, not for the name the movie is shown under.
    """
    engine = current_engine()
    movie = engine.movie(movie_id)
    tmdb_id = engine.external_ids(movie_id).tmdb_id
    cached = CachedPoster.objects.filter(movie_id=movie_id).first()
    try:
        if cached is None or cached.status != CachedPoster.Status.FOUND:
            url = client.poster_url(tmdb_id=tmdb_id, title=movie.title, year=movie.year)
            poster_cache_store(
                movie_id=movie_id,
                status=CachedPoster.Status.FOUND if url else CachedPoster.Status.MISSING,
                url=url or "",
            )
    except TmdbUnavailable as error:
        poster_cache_store(movie_id=movie_id, status=CachedPoster.Status.FAILED)
        raise FetchFailed(str(error)) from None
    if cached is not None and cached.chinese_checked and cached.chinese_title:
        return
    try:
        text = client.chinese_text(tmdb_id=tmdb_id) if tmdb_id is not None else None
    except TmdbUnavailable as error:
        chinese_text_store(movie_id=movie_id, text=None, checked=False)
        raise FetchFailed(str(error)) from None
    chinese_text_store(movie_id=movie_id, text=text, checked=True)


def poster_fetch_in_background(*, client: TmdbClient, movie_id: int) -> None:
    """`poster_fetch` for a worker thread, which owns its database connection and closes it."""
    close_old_connections()
    try:
        poster_fetch(client=client, movie_id=movie_id)
    finally:
        connection.close()
