"""Errors a user can cause. The CLI prints their message and exits non-zero; the web maps them
to 4xx responses. Anything else is a bug and keeps its traceback."""


class MovieRecError(Exception):
    """A problem the user can fix: the message names the thing and what to do."""

    exit_code = 1


class DataError(MovieRecError):
    """An input file is missing, malformed, or not the release it claims to be."""


class FetchError(MovieRecError):
    """A download or copy of a release failed or did not verify."""


class UsageError(MovieRecError):
    """A wrong argument: an unknown name, a bad flag value."""

    exit_code = 2
