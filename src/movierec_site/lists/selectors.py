"""Reading an account's hidden movies and watchlist."""

from django.db.models import QuerySet

from movierec_site.accounts.models import User
from movierec_site.lists.models import HiddenMovie, MovieMark, WatchlistEntry
from movierec_site.serving.engine import current_engine


def _in_use(kind: type[MovieMark], user: User) -> QuerySet:
    """The account's entries that name films of the served model's dataset (or, recorded
    before a dataset was known, any)."""
    dataset = current_engine().dataset
    return kind.objects.filter(user=user, dataset__in=[dataset, ""])


def hidden_movie_ids(*, user: User) -> tuple[int, ...]:
    """The movie ids the account hid, for leaving them out of its lists; () when signed out."""
    if not user.is_authenticated:
        return ()
    return tuple(sorted(_in_use(HiddenMovie, user).values_list("movie_id", flat=True)))


def hidden_list(*, user: User) -> list[HiddenMovie]:
    """The account's hidden movies, most recently hidden first."""
    return list(_in_use(HiddenMovie, user).order_by("-created", "-id"))


def watchlist_movie_ids(*, user: User) -> frozenset[int]:
    """The movie ids on the account's watchlist; empty when signed out."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(_in_use(WatchlistEntry, user).values_list("movie_id", flat=True))


def watchlist_list(*, user: User) -> list[WatchlistEntry]:
    """The account's watchlist, most recently added first."""
    return list(_in_use(WatchlistEntry, user).order_by("-created", "-id"))
