"""The errors a caller of the engine can cause: an id it does not know, or a request it refuses.

The web maps `NotFound` to 404 and `InvalidRequest` to 400; the CLI prints the message.
"""

from movierec.errors import MovieRecError, UsageError


class NotFound(MovieRecError):
    """An id that the loaded model does not know."""


class UnknownUser(NotFound):
    """A user id that is not among the model's users."""


class UnknownMovie(NotFound):
    """A movie id (or a title query) that matches no movie of the model's catalogue."""


class InvalidRequest(UsageError):
    """A request the engine refuses: n out of range, an unknown genre, bad demographics..."""


class NoPublishedModel(MovieRecError):
    """No model is published where the engine looks by default."""
