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
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from movierec.errors import MovieRecError
from movierec_site.catalog.api import router as catalog_router
from movierec_site.lists.api import router as lists_router
from movierec_site.ratings.api import router as ratings_router
from movierec_site.recommendations.api import router as recommendations_router
from movierec_site.serving.api import router as health_router
from movierec_site.serving.errors import error_detail, error_status


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
api.add_router("", lists_router)
api.add_router("", health_router)


@api.exception_handler(MovieRecError)
def engine_error(request: HttpRequest, error: MovieRecError) -> HttpResponse:
    """Unknown ids -> 404, refused requests -> 400, no model -> 503, each with the message."""
    status = error_status(error) or 400
    return api.create_response(request, {"detail": error_detail(error, status)}, status=status)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 400, not the site's HTML error page."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = _("the request body is too large; send at most %(limit)s bytes") % {"limit": limit}
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Malformed input is a 400 with what was wrong, like every other bad request."""
    problems = "; ".join(
        f"{_field_name(item.get('loc', ()))}: {item.get('msg', 'invalid')}" for item in error.errors
    )
    detail = error_detail(problems, 400) if problems else _("invalid input")
    return api.create_response(request, {"detail": detail}, status=400)


def _field_name(location: tuple | list) -> str:
    """("body", "payload", "stars") -> "stars": the name as the client wrote it."""
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "request"
