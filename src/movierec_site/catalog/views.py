"""Catalogue pages: home, search, a genre, a movie. Each parses its input, asks the selectors and
renders; what a page shows is decided in the selectors."""

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from movierec_site.catalog.cards import Listed, MovieCard, movie_cards
from movierec_site.catalog.rows import Row
from movierec_site.catalog.selectors import (
    genre_get,
    genre_list,
    home_genre_list,
    movie_also_liked_list,
    movie_detail_get,
    movie_list,
    movie_search_list,
    movie_similar_list,
    movie_top_rated_list,
)
from movierec_site.ratings.selectors import rating_scale_get, rating_stars_map
from movierec_site.recommendations.selectors import account_recommendation_list

ROW_LENGTH = 12
SEARCH_RESULTS = 30
GENRE_PAGE_LENGTH = 48
MOVIE_PAGE_LIST = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    stars = rating_stars_map(user=request.user)
    rows = []
    if stars:
        picks = account_recommendation_list(user=request.user, n=ROW_LENGTH)
        rows.append(
            Row(
                "For you",
                movie_cards(picks),
                "From your ratings",
                reverse("recommendations:for_you"),
            )
        )
    popular = movie_list(limit=ROW_LENGTH)
    rows.append(Row("Popular", movie_cards(popular, your_stars=stars), "The most rated movies"))
    rows.append(
        Row(
            "Top rated",
            movie_cards(movie_top_rated_list(n=ROW_LENGTH), your_stars=stars),
            "Loved by many, not just a few",
        )
    )
    for genre in home_genre_list():
        cards = movie_cards(movie_top_rated_list(n=ROW_LENGTH, genre=genre), your_stars=stars)
        more = reverse("catalog:genre", args=[genre])
        rows.append(Row(f"Best of {genre}", cards, more_url=more))
    return render(request, "catalog/home.html", {"rows": rows, "genres": genre_list()})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    hits = movie_search_list(query=query, n=SEARCH_RESULTS)
    context = {"query": query, "cards": _cards_with_your_stars(request, hits)}
    return render(request, "catalog/search.html", context)


@require_safe
def genre(request: HttpRequest, name: str) -> HttpResponse:
    canonical = genre_get(name=name)
    best = movie_top_rated_list(n=GENRE_PAGE_LENGTH, genre=canonical)
    context = {"genre": canonical, "cards": _cards_with_your_stars(request, best)}
    return render(request, "catalog/genre.html", context)


@require_safe
def movie_detail(request: HttpRequest, movie_id: int) -> HttpResponse:
    detail = movie_detail_get(movie_id=movie_id)
    if detail.movie.movie_id != movie_id:
        # An alias of a film the release listed twice: it has one page, under its kept id. Not a
        # permanent redirect: another published model (another release) may use the id itself.
        return redirect("catalog:movie", movie_id=detail.movie.movie_id)
    similar = movie_similar_list(movie_id=movie_id, n=MOVIE_PAGE_LIST)
    also_liked = movie_also_liked_list(movie_id=movie_id, n=MOVIE_PAGE_LIST)
    shown = [movie_id, *(item.movie_id for item in similar + also_liked)]
    stars = rating_stars_map(user=request.user, movie_ids=shown)
    context = {
        "detail": detail,
        "movie": movie_cards([detail.movie], your_stars=stars)[0],
        "similar": movie_cards(similar, your_stars=stars),
        "also_liked": movie_cards(also_liked, your_stars=stars),
        "your_stars": stars.get(movie_id),
        "scale": rating_scale_get(),
    }
    return render(request, "catalog/movie.html", context)


def _cards_with_your_stars(request: HttpRequest, items: Sequence[Listed]) -> list[MovieCard]:
    """Cards for `items`, each with the stars the signed-in user gave it (if any)."""
    stars = rating_stars_map(user=request.user, movie_ids=[item.movie_id for item in items])
    return movie_cards(items, your_stars=stars)
