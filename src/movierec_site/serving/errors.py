"""The HTTP status of each error a user can cause, shared by the pages and the JSON API."""

from movierec.engine import InvalidRequest, NoPublishedModel, NotFound
from movierec.errors import MovieRecError
from movierec_site.serving.store import ModelUnavailable

STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),
    (InvalidRequest, 400),
    (NoPublishedModel, 503),
    (ModelUnavailable, 503),
)


def error_status(error: BaseException) -> int | None:
    """400/404/503 for an error the user (or operator) can fix; None for a bug."""
    for kind, status in STATUSES:
        if isinstance(error, kind):
            return status
    return 400 if isinstance(error, MovieRecError) else None
