from movierec_site.posters.models import CachedPoster
from movierec_site.posters.providers import poster_provider
from movierec_site.serving.engine import current_engine


def poster_url_map(*, movie_ids: list[int]) -> dict[int, str]:
    """{movie id: poster address} for each movie, from the configured provider."""
    return poster_provider().urls(list(dict.fromkeys(movie_ids)))


def poster_missing_list() -> list[int]:
    """Movies of the served model with no cached TMDB answer, most rated first."""
    engine = current_engine()
    answered = CachedPoster.objects.exclude(status=CachedPoster.Status.FAILED)
    cached = set(answered.values_list("movie_id", flat=True))
    everything = engine.most_rated(engine.catalogue_size)
    return [movie.movie_id for movie in everything if movie.movie_id not in cached]
