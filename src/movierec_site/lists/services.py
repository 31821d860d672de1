"""Hiding movies and keeping a watchlist. Each write is one statement that ignores or removes a
duplicate, so a double click or two tabs never fail or leave two entries."""

from movierec_site.accounts.models import User
from movierec_site.lists.models import HiddenMovie, MovieMark, WatchlistEntry
from movierec_site.ratings.services import checked_movie, film_record
from movierec_site.serving.engine import current_engine


def _mark(kind: type[MovieMark], user: User, movie_id: int) -> None:
    checked_movie(movie_id)
    film = film_record(current_engine(), movie_id)
    entry = kind(user=user, movie_id=movie_id, dataset=film["dataset"], title=film["title"],
                 year=film["year"])
    # INSERT ... ON CONFLICT DO NOTHING: marking twice is marking once.
    kind.objects.bulk_create([entry], ignore_conflicts=True)


def movie_hide(*, user: User, movie_id: int) -> None:
    """Never show the movie in the account's lists again; UnknownMovie for an id the served
    model lacks. A hidden movie leaves the watchlist too."""
    _mark(HiddenMovie, user, movie_id)
    WatchlistEntry.objects.filter(user=user, movie_id=movie_id).delete()


def movie_unhide(*, user: User, movie_id: int) -> bool:
    """Let the movie back into the account's lists; False when it was not hidden."""
    deleted, _ = HiddenMovie.objects.filter(user=user, movie_id=movie_id).delete()
    return deleted > 0


def watchlist_add(*, user: User, movie_id: int) -> None:
    """Put the movie on the account's watchlist (taking it out of the hidden ones); UnknownMovie
    for an id the served model lacks."""
    _mark(WatchlistEntry, user, movie_id)
    HiddenMovie.objects.filter(user=user, movie_id=movie_id).delete()


def watchlist_remove(*, user: User, movie_id: int) -> bool:
    """Take the movie off the watchlist; False when it was not on it."""
    deleted, _ = WatchlistEntry.objects.filter(user=user, movie_id=movie_id).delete()
    return deleted > 0
