"""/api/me/watchlist and /api/me/hidden: the signed-in account's lists. Session
authentication, CSRF enforced, as for /api/me/ratings."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from movierec_site import api_shared
from movierec_site.api_shared import ErrorOut, MovieId
from movierec_site.lists.selectors import hidden_list, watchlist_list
from movierec_site.lists.services import (
    movie_hide,
    movie_unhide,
    watchlist_add,
    watchlist_remove,
)

router = Router(tags=["my lists"], auth=django_auth)

ERRORS = {401: ErrorOut, 403: ErrorOut, **api_shared.ERRORS}


class ListEntryOut(Schema):
    movie_id: int
    title: str
    year: int | None
    created: datetime


@router.get("/me/watchlist", response={200: list[ListEntryOut], **ERRORS},
            summary="My watchlist")
def list_watchlist(request: HttpRequest):
    """The movies on the signed-in account's watchlist, most recently added first; a movie
    leaves it when the account rates it."""
    return watchlist_list(user=request.user)


@router.put("/me/watchlist/{movie_id}", response={204: None, **ERRORS},
            summary="Add to my watchlist")
def add_to_watchlist(request: HttpRequest, movie_id: int = MovieId):
    """Adding a movie already there changes nothing; a hidden movie is unhidden."""
    watchlist_add(user=request.user, movie_id=movie_id)
    return Status(204, None)


@router.delete("/me/watchlist/{movie_id}", response={204: None, **ERRORS},
               summary="Remove from my watchlist")
def remove_from_watchlist(request: HttpRequest, movie_id: int = MovieId):
    if watchlist_remove(user=request.user, movie_id=movie_id):
        return Status(204, None)
    return Status(404, {"detail": f"movie {movie_id} is not on your watchlist"})


@router.get("/me/hidden", response={200: list[ListEntryOut], **ERRORS},
            summary="My hidden movies")
def list_hidden(request: HttpRequest):
    """The movies the signed-in account hid ("not interested"), most recently hidden first:
    no list of the site or the API shows them to the account."""
    return hidden_list(user=request.user)


@router.put("/me/hidden/{movie_id}", response={204: None, **ERRORS}, summary="Hide a movie")
def hide_movie(request: HttpRequest, movie_id: int = MovieId):
    """Hiding a movie already hidden changes nothing; it leaves the watchlist."""
    movie_hide(user=request.user, movie_id=movie_id)
    return Status(204, None)


@router.delete("/me/hidden/{movie_id}", response={204: None, **ERRORS}, summary="Unhide a movie")
def unhide_movie(request: HttpRequest, movie_id: int = MovieId):
    if movie_unhide(user=request.user, movie_id=movie_id):
        return Status(204, None)
    return Status(404, {"detail": f"movie {movie_id} is not hidden"})
