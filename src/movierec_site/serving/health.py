"""Liveness and readiness: is the process up, and can it answer (model loaded, database up)?"""

import re
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.http import HttpRequest

from movierec_site.serving.engine import model_store


@dataclass(frozen=True)
class Readiness:
    model_loaded: bool
    model_path: str | None
    model_error: str | None
    database_ok: bool
    database_error: str | None

    @property
    def ready(self) -> bool:
        return self.model_loaded and self.database_ok

    def as_dict(self, *, show_paths: bool = True) -> dict:
        """Without `show_paths` (anonymous callers), folder paths are left out of the answer."""
        return {
            "status": "ready" if self.ready else "not ready",
            "model": {
                "loaded": self.model_loaded,
                "path": self.model_path if show_paths else None,
                "error": _shown(self.model_error, show_paths),
            },
            "database": {"ok": self.database_ok, "error": _shown(self.database_error, show_paths)},
        }


_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/[^\s'\"`,;:]+")


def _shown(message: str | None, show_paths: bool) -> str | None:
    """The message, its absolute paths replaced unless shown: 'the model at <path> failed'."""
    if message is None or show_paths:
        return message
    return _ABSOLUTE_PATH.sub("<path>", message)


def paths_visible_to(request: HttpRequest) -> bool:
    """Staff may see where the model lives; anyone else sees only whether it is loaded."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_staff)


def readiness_get() -> Readiness:
    """Loads the model if no request has yet, and runs one query against the database."""
    store = model_store()
    model_error = None
    try:
        loaded = store.get()
    except Exception as error:
        # Readiness reports any failure, whatever its kind; it never raises.
        loaded, model_error = store.current, str(error)
    database_error = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        database_error = str(error)
    return Readiness(
        model_loaded=loaded is not None,
        model_path=loaded.path if loaded else None,
        model_error=model_error or store.last_error,
        database_ok=database_error is None,
        database_error=database_error,
    )
