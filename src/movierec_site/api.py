"""The JSON API: one NinjaAPI, a router per domain, and engine errors mapped to 4xx/503.

Interactive docs at /api/docs use the Swagger UI files that django-ninja ships (it is in
INSTALLED_APPS), so they work offline.
"""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Router, Schema, Status, Swagger
from ninja.errors import ValidationError

from movierec.errors import MovieRecError
from movierec_site.catalog.api import router as catalog_router
from movierec_site.ratings.api import router as ratings_router
from movierec_site.recommendations.api import router as recommendations_router
from movierec_site.serving.errors import error_status
from movierec_site.serving.health import paths_visible_to, readiness_get


class CsrfSwagger(Swagger):
    """Swagger UI that sends the CSRF token, so "Try it out" works for the rating endpoints.

    Ninja adds the token only when the whole API uses session authentication; here only the
    `/me` routes do, so the page is rendered the same way with the token always on.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": True,
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="movierec API",
    version="1",
    description=(
        "Movie recommendations from a model trained on MovieLens ratings. Reading needs no "
        "account; `/me/...` uses the site's session (log in on the site) and a CSRF token."
    ),
    docs=CsrfSwagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("", catalog_router)
api.add_router("", recommendations_router)
api.add_router("", ratings_router)


class HealthOut(Schema):
    status: str


class ModelStatusOut(Schema):
    loaded: bool
    path: str | None
    error: str | None


class DatabaseStatusOut(Schema):
    ok: bool
    error: str | None


class ReadinessOut(Schema):
    status: str
    model: ModelStatusOut
    database: DatabaseStatusOut


health = Router(tags=["health"])


@health.get("/healthz", response=HealthOut, summary="Liveness")
def healthz(request: HttpRequest):
    """The process answers (also at /healthz)."""
    return {"status": "ok"}


@health.get("/readyz", response={200: ReadinessOut, 503: ReadinessOut}, summary="Readiness")
def readyz(request: HttpRequest):
    """The model is loaded and the database answers (also at /readyz); 503 otherwise.
    Folder paths are shown to staff only."""
    readiness = readiness_get()
    answer = readiness.as_dict(show_paths=paths_visible_to(request))
    return Status(200 if readiness.ready else 503, answer)


api.add_router("", health)


@api.exception_handler(MovieRecError)
def engine_error(request: HttpRequest, error: MovieRecError) -> HttpResponse:
    """Unknown ids -> 404, refused requests -> 400, no model -> 503, each with the message."""
    return api.create_response(request, {"detail": str(error)}, status=error_status(error) or 400)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 400, not the site's HTML error page."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = f"the request body is too large; send at most {limit} bytes"
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Malformed input is a 400 with what was wrong, like every other bad request."""
    problems = "; ".join(
        f"{_field_name(item.get('loc', ()))}: {item.get('msg', 'invalid')}" for item in error.errors
    )
    return api.create_response(request, {"detail": problems or "invalid input"}, status=400)


def _field_name(location: tuple | list) -> str:
    """("body", "payload", "stars") -> "stars": the name as the client wrote it."""
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "request"
