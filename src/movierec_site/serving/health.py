"""Liveness and readiness: is the process up, and can it answer (model loaded, database up)?

The plain /healthz and /readyz and their /api twins all answer from here, and the models below
are both the readiness body and its schema in the API docs, so the two cannot drift apart.
"""

import re

from django.db import DatabaseError, connection
from django.http import HttpRequest
from pydantic import BaseModel

from movierec_site.serving.engine import model_store

# The ...Out names are the API's published schema names; generated clients know them.


class HealthOut(BaseModel):
    status: str


ALIVE = HealthOut(status="ok")


class ModelStatusOut(BaseModel):
    loaded: bool
    path: str | None
    error: str | None


class DatabaseStatusOut(BaseModel):
    ok: bool
    error: str | None


class ReadinessOut(BaseModel):
    status: str
    model: ModelStatusOut
    database: DatabaseStatusOut

    @property
    def http_status(self) -> int:
        """503 tells a load balancer to send requests elsewhere until this one is ready."""
        return 200 if self.status == "ready" else 503


_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/[^\s'\"`,;:]+")


def _shown(message: str | None, show_paths: bool) -> str | None:
    """The message, its absolute paths replaced unless shown: 'the model at <path> failed'."""
    if message is None or show_paths:
        return message
    return _ABSOLUTE_PATH.sub("<path>", message)


def readiness_get(request: HttpRequest) -> ReadinessOut:
    """Loads the model if no request has yet, and runs one query against the database. Staff
    may see where the model lives; anyone else sees only whether it is loaded."""
    user = getattr(request, "user", None)
    show_paths = bool(user is not None and user.is_staff)
    store = model_store()
    model_error = None
    try:
        loaded = store.get()
    except Exception as error:
        # Readiness reports any failure, whatever its kind; it never raises.
        loaded, model_error = store.current, str(error)
    database_error = _database_error()
    ready = loaded is not None and database_error is None
    return ReadinessOut(
        status="ready" if ready else "not ready",
        model=ModelStatusOut(
            loaded=loaded is not None,
            path=loaded.path if loaded and show_paths else None,
            error=_shown(model_error or store.last_error, show_paths),
        ),
        database=DatabaseStatusOut(
            ok=database_error is None, error=_shown(database_error, show_paths)
        ),
    )


def _database_error() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return str(error)
    return None
