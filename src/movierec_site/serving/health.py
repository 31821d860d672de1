"""Liveness and readiness: is the process up, and can it answer (model loaded, database up)?"""

from dataclasses import dataclass

from django.db import DatabaseError, connection

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

    def as_dict(self) -> dict:
        return {
            "status": "ready" if self.ready else "not ready",
            "model": {
                "loaded": self.model_loaded,
                "path": self.model_path,
                "error": self.model_error,
            },
            "database": {"ok": self.database_ok, "error": self.database_error},
        }


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
