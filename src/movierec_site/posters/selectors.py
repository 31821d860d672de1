from django.db.models.functions import Length

from movierec_site.posters.models import CHINESE_TITLE_LANGUAGES, CachedPoster
from movierec_site.posters.providers import poster_provider
from movierec_site.serving.engine import current_engine


def poster_url_map(*, movie_ids: list[int]) -> dict[int, str]:
    """{movie id: poster address} for each movie, from the configured provider."""
    return poster_provider().urls(list(dict.fromkeys(movie_ids)))


def poster_missing_list() -> list[int]:
    """Movies of the served model whose poster or Chinese title TMDB has not answered yet, most
    rated first."""
    engine = current_engine()
    answered = CachedPoster.objects.exclude(status=CachedPoster.Status.FAILED).filter(
        chinese_checked=True
    )
    cached = set(answered.values_list("movie_id", flat=True))
    everything = engine.most_rated(engine.catalogue_size)
    return [movie.movie_id for movie in everything if movie.movie_id not in cached]


def localized_title_map(*, movie_ids: list[int], language: str) -> dict[int, str]:
    """{movie id: title in `language`} for the movies TMDB gave one for (one query); empty for
    languages other than Simplified Chinese, whose titles are the catalogue's own."""
    if language.lower() not in CHINESE_TITLE_LANGUAGES or not movie_ids:
        return {}
    rows = CachedPoster.objects.filter(movie_id__in=set(movie_ids)).exclude(chinese_title="")
    return dict(rows.values_list("movie_id", "chinese_title"))


def localized_overview_get(*, movie_id: int, language: str) -> str:
    """TMDB's overview of the movie in `language` where one is stored (Simplified Chinese);
    empty otherwise: the catalogue has no overviews of its own."""
    if language.lower() not in CHINESE_TITLE_LANGUAGES:
        return ""
    found = CachedPoster.objects.filter(movie_id=movie_id).values_list("chinese_overview",
                                                                          flat=True).first()
    return found or ""


def localized_search_ids(*, query: str, n: int) -> list[int]:
    """Up to `n` movies of the served model whose stored Chinese title contains `query` (any
    case), the shortest titles first: the exact title, then the ones it begins or is part of.
    For queries in Chinese, which the catalogue's own titles never match."""
    query = " ".join(query.replace("\x00", " ").split())  # PostgreSQL text holds no NUL
    if not query or n <= 0:
        return []
    matches = (
        CachedPoster.objects.filter(chinese_title__icontains=query)
        .order_by(Length("chinese_title"), "movie_id")
        .values_list("movie_id", flat=True)
    )
    return current_engine().known_movies(list(matches))[:n]
