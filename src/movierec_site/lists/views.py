"""Hiding a movie and the watchlist: forms that work without JavaScript, and the two pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from movierec_site.catalog.cards import movie_cards
from movierec_site.lists.selectors import hidden_list, watchlist_list
from movierec_site.lists.services import (
    movie_hide,
    movie_unhide,
    watchlist_add,
    watchlist_remove,
)
from movierec_site.navigation import redirect_back
from movierec_site.ratings.selectors import rating_scale_get
from movierec_site.recommendations.selectors import viewer_get
from movierec_site.serving.engine import current_engine


@require_POST
@login_required
def hide(request: HttpRequest, movie_id: int) -> HttpResponse:
    """Hide the movie ("Not interested"), or with `undo` show it again."""
    title = current_engine().movie(movie_id).title
    if "undo" in request.POST:
        movie_unhide(user=request.user, movie_id=movie_id)
        messages.success(request, _("“%(title)s” can appear in your lists again.")
                         % {"title": title})
    else:
        movie_hide(user=request.user, movie_id=movie_id)
        messages.success(request, _("Hidden “%(title)s”: it will not appear in your lists "
                                    "(“Hidden movies” under My ratings undoes it).")
                         % {"title": title})
    return redirect_back(request, movie_id)


@require_POST
@login_required
def watchlist(request: HttpRequest, movie_id: int) -> HttpResponse:
    """Add the movie to the watchlist, or with `remove` take it off."""
    if "remove" in request.POST:
        watchlist_remove(user=request.user, movie_id=movie_id)
    else:
        watchlist_add(user=request.user, movie_id=movie_id)
    return redirect_back(request, movie_id)


@require_safe
@login_required
def watchlist_page(request: HttpRequest) -> HttpResponse:
    entries = watchlist_list(user=request.user)
    return render(request, "lists/watchlist.html", {
        "cards": movie_cards(_known(entries), viewer=viewer_get(user=request.user)),
        "scale": rating_scale_get(),
    })


@require_safe
@login_required
def hidden_page(request: HttpRequest) -> HttpResponse:
    entries = hidden_list(user=request.user)
    return render(request, "lists/hidden.html",
                  {"cards": movie_cards(_known(entries), viewer=viewer_get(user=request.user))})


def _known(entries: list) -> list:
    """The served model's movies of `entries`, in their order (a model may lack a few)."""
    engine = current_engine()
    return [engine.movie(entry.movie_id) for entry in entries
            if engine.knows_movie(entry.movie_id)]

