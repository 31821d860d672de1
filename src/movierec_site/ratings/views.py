"""My ratings, and the form that sets or removes one where JavaScript is off (the star widget
uses the JSON API instead, without reloading the page)."""

import dataclasses

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from movierec.engine import BROWSE_ORDERS
from movierec_site.catalog.browsing import PAGE_SIZE, browse_get, pager_get
from movierec_site.catalog.cards import movie_cards
from movierec_site.catalog.selectors import (
    genre_list,
    movie_browse_list,
    movie_map,
)
from movierec_site.navigation import redirect_back
from movierec_site.ratings.selectors import rating_list, rating_scale_get, rating_unmapped_list
from movierec_site.ratings.services import rating_remove, rating_set
from movierec_site.recommendations.selectors import viewer_get

MY_RATINGS_SORTS = ["date_rated", "your_stars", "title", "most_rated", "newest"]


@require_safe
@login_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    """The account's ratings, sorted and filtered as asked, a page at a time, each dated."""
    every = rating_list(user=request.user)
    movies_rated = movie_map(movie_ids=[rating.movie_id for rating in every])
    # By the id the model lists the film under (a rating may name one of its aliases).
    ratings = {movies_rated[rating.movie_id].movie_id: rating for rating in every
               if rating.movie_id in movies_rated}
    browse = browse_get(request, sorts=MY_RATINGS_SORTS, genres=genre_list())
    filters = dataclasses.replace(browse.filters, only=tuple(ratings))
    engine_order = browse.sort if browse.sort in BROWSE_ORDERS else "most_rated"
    movies = movie_browse_list(order=engine_order, filters=filters,
                               limit=max(len(ratings), 1))
    if browse.sort == "date_rated":
        movies.sort(key=lambda movie: ratings[movie.movie_id].updated, reverse=True)
    elif browse.sort == "your_stars":
        movies.sort(key=lambda movie: -ratings[movie.movie_id].stars)
    page = movies[browse.offset:browse.offset + PAGE_SIZE]
    stars = {movie_id: rating.stars for movie_id, rating in ratings.items()}
    dates = {movie_id: rating.updated for movie_id, rating in ratings.items()}
    context = {
        "cards": movie_cards(page, your_stars=stars, rated_on=dates,
                             viewer=viewer_get(user=request.user)),
        "rated": len(ratings),
        "browse": browse,
        "pager": pager_get(browse, len(movies)),
        "unknown": len(every) - len(ratings),
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
    return redirect_back(request, movie_id)


def _number(value: str | None) -> float | str | None:
    """The posted stars as a number; the raw text when it is not one, so the error names it."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return value
