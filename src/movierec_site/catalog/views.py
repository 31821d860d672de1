"""Catalogue pages: home, search, a genre, a movie. Each parses its input, asks the selectors and
renders; what a page shows is decided in the selectors."""

import dataclasses

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from movierec.engine import Filters
from movierec_site.catalog.browsing import PAGE_SIZE, browse_get, pager_get
from movierec_site.catalog.cards import movie_cards
from movierec_site.catalog.genres import genre_label
from movierec_site.catalog.rows import Row
from movierec_site.catalog.selectors import (
    genre_get,
    genre_list,
    home_genre_list,
    movie_also_liked_list,
    movie_count,
    movie_detail_get,
    movie_list,
    movie_search_list,
    movie_similar_list,
    movie_sorted_list,
    movie_top_rated_list,
    search_example_list,
)
from movierec_site.posters.selectors import localized_overview_get
from movierec_site.ratings.selectors import rating_scale_get
from movierec_site.recommendations.selectors import account_recommendation_list, viewer_get

ROW_LENGTH = 12
SEARCH_RESULTS = 30
GENRE_SORTS = ["best_rated", "most_rated", "newest", "title"]
MOVIE_PAGE_LIST = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_get(user=request.user)
    hidden = viewer.hidden
    rows = []
    if viewer.stars:
        picks = account_recommendation_list(user=request.user, n=ROW_LENGTH, viewer=viewer)
        rows.append(
            Row(
                _("For you"),
                movie_cards(picks, viewer=viewer),
                _("From your ratings"),
                reverse("recommendations:for_you"),
            )
        )
    popular = movie_list(limit=ROW_LENGTH, exclude=hidden)
    rows.append(Row(_("Popular"), movie_cards(popular, viewer=viewer),
                    _("The most rated movies")))
    rows.append(
        Row(
            _("Top rated"),
            movie_cards(movie_top_rated_list(n=ROW_LENGTH, filters=Filters(exclude=hidden)),
                        viewer=viewer),
            _("Loved by many, not just a few"),
        )
    )
    for genre in home_genre_list():
        best = movie_top_rated_list(n=ROW_LENGTH, filters=Filters(genres=(genre,),
                                                                  exclude=hidden))
        more = reverse("catalog:genre", args=[genre])
        title = _("Best of %(genre)s") % {"genre": genre_label(genre)}
        rows.append(Row(title, movie_cards(best, viewer=viewer), more_url=more))
    return render(request, "catalog/home.html", {"rows": rows, "genres": genre_list()})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search finds a movie the account hid too (it is looking for it): marked, to unhide."""
    query = request.GET.get("q", "").strip()[:200]
    hits = movie_search_list(query=query, n=SEARCH_RESULTS)
    cards = movie_cards(hits, viewer=viewer_get(user=request.user))
    shown = {
        kind: [card for hit, card in zip(hits, cards, strict=True) if hit.kind == kind]
        for kind in ("title", "related", "suggestion")
    }
    context = {
        "query": query,
        "cards": shown["title"],
        # Related movies follow only when some title has every word: the first hit is the best.
        "related": shown["related"],
        "related_to": hits[0].title if shown["related"] else "",
        "suggestions": shown["suggestion"],
        "examples": [] if query else search_example_list(),
    }
    return render(request, "catalog/search.html", context)


@require_safe
def genre(request: HttpRequest, name: str) -> HttpResponse:
    """Every movie of a genre, sorted and filtered as asked, a page at a time."""
    canonical = genre_get(name=name)
    viewer = viewer_get(user=request.user)
    # Predicted stars sort an account's way once it has rated something.
    sorts = ["predicted", *GENRE_SORTS] if viewer.ratings else GENRE_SORTS
    browse = browse_get(request, sorts=sorts, genres=[], genre=canonical)
    filters = dataclasses.replace(browse.filters, exclude=viewer.hidden)
    page = movie_sorted_list(sort=browse.sort, filters=filters, limit=PAGE_SIZE,
                             offset=browse.offset, viewer=viewer)
    context = {
        "genre": canonical,
        "browse": browse,
        "pager": pager_get(browse, movie_count(filters=filters)),
        "cards": movie_cards(page, viewer=viewer),
    }
    return render(request, "catalog/genre.html", context)


@require_safe
def movie_detail(request: HttpRequest, movie_id: int) -> HttpResponse:
    detail = movie_detail_get(movie_id=movie_id)
    if detail.movie.movie_id != movie_id:
        # An alias of a film the release listed twice: it has one page, under its kept id. Not a
        # permanent redirect: another published model (another release) may use the id itself.
        return redirect("catalog:movie", movie_id=detail.movie.movie_id)
    viewer = viewer_get(user=request.user)
    hidden = viewer.hidden
    similar = movie_similar_list(movie_id=movie_id, n=MOVIE_PAGE_LIST, exclude=hidden)
    also_liked = movie_also_liked_list(movie_id=movie_id, n=MOVIE_PAGE_LIST, exclude=hidden)
    movie = movie_cards([detail.movie], viewer=viewer)[0]
    context = {
        "detail": detail,
        "movie": movie,
        "similar": movie_cards(similar, viewer=viewer),
        "also_liked": movie_cards(also_liked, viewer=viewer),
        "your_stars": movie.your_stars,
        "overview": localized_overview_get(movie_id=movie_id, language=get_language() or ""),
        "scale": rating_scale_get(),
    }
    return render(request, "catalog/movie.html", context)
