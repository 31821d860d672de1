"""My ratings, and the form that sets or removes one where JavaScript is off (the star widget
uses the JSON API instead, without reloading the page)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from movierec_site.catalog.cards import movie_cards
from movierec_site.catalog.selectors import movie_get
from movierec_site.ratings.selectors import rating_list, rating_scale_get, rating_unmapped_list
from movierec_site.ratings.services import rating_remove, rating_set
from movierec_site.serving.engine import current_engine


@require_safe
@login_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    ratings = rating_list(user=request.user)
    engine = current_engine()
    movies = [movie_get(movie_id=r.movie_id) for r in ratings if engine.knows_movie(r.movie_id)]
    stars = {rating.movie_id: rating.stars for rating in ratings}
    context = {
        "cards": movie_cards(movies, your_stars=stars),
        "unknown": len(ratings) - len(movies),
        "unmapped": rating_unmapped_list(user=request.user),
        "scale": rating_scale_get(),
    }
    return render(request, "ratings/my_ratings.html", context)


@require_POST
@login_required
def rate(request: HttpRequest, movie_id: int) -> HttpResponse:
    if "remove" in request.POST:
        rating_remove(user=request.user, movie_id=movie_id)
    else:
        rating_set(user=request.user, movie_id=movie_id, stars=_number(request.POST.get("stars")))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("catalog:movie", movie_id=movie_id)


def _number(value: str | None) -> float | str | None:
    """The posted stars as a number; the raw text when it is not one, so the error names it."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return value
