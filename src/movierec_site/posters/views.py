from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from movierec_site.catalog.genres import genre_label
from movierec_site.posters.drawing import poster_svg
from movierec_site.posters.selectors import localized_title_map
from movierec_site.serving.engine import current_engine


@require_safe
@cache_control(public=True, max_age=86400)
def generated_poster(request: HttpRequest, movie_id: int) -> HttpResponse:
    """The drawn poster of a movie (404 for a movie the model does not know); `?lang=zh-hans`
    draws its Chinese title where one is stored."""
    movie = current_engine().movie(movie_id)
    language = request.GET.get("lang", "")
    titles = localized_title_map(movie_ids=[movie.movie_id], language=language)
    # The address says the language, not the request (the poster is cached publicly).
    with translation.override(language if language in dict(settings.LANGUAGES) else "en"):
        labels = tuple(genre_label(genre) for genre in movie.genres)
    svg = poster_svg(
        movie_id=movie.movie_id,
        title=movie.title,
        year=movie.year,
        genres=movie.genres,
        chinese_title=titles.get(movie.movie_id),
        genre_labels=labels,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # An SVG opened on its own is a document: it may draw, never run or fetch anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
