"""The HTTP status of each error a user can cause, and its kind in words, shared by the pages
and the JSON API."""

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from movierec.engine import InvalidRequest, NoPublishedModel, NotFound
from movierec.errors import MovieRecError
from movierec_site.serving.store import ModelUnavailable

STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),
    (InvalidRequest, 400),
    (NoPublishedModel, 503),
    (ModelUnavailable, 503),
)


TITLES = {400: gettext_lazy("That request did not work"), 404: gettext_lazy("Not found"),
          503: gettext_lazy("No model yet")}
"""What kind of error each status is, in the reader's words."""


def error_detail(error: BaseException | str, status: int) -> str:
    """The error as the API's `detail`: the engine's (or the validator's) own words, which are
    English (the engine has no Django); for a reader of another language, after the kind of
    error in theirs ("未找到：no movie with id 5 in this model")."""
    message = str(error)
    if (get_language() or "en").startswith("en"):
        return message
    kind = TITLES.get(status, gettext_lazy("Error"))
    return _("%(kind)s: %(detail)s") % {"kind": kind, "detail": message}


def error_status(error: BaseException) -> int | None:
    """400/404/503 for an error the user (or operator) can fix; None for a bug."""
    for kind, status in STATUSES:
        if isinstance(error, kind):
            return status
    return 400 if isinstance(error, MovieRecError) else None
