"""/healthz and /readyz for load balancers and orchestrators (plain JSON, no session needed), and
the admin's page of the published models."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from movierec_site.serving.health import ALIVE, readiness_get
from movierec_site.serving.versions import published_versions_get


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; says nothing about the model or the database."""
    return JsonResponse(ALIVE.model_dump())


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the model is loaded and the database answers; 503 with the reason otherwise."""
    readiness = readiness_get(request)
    return JsonResponse(readiness.model_dump(), status=readiness.http_status)


def published_models(request: HttpRequest) -> HttpResponse:
    """The admin's read-only page of the live model and the versions kept (`movierec models`)."""
    context = {
        **admin.site.each_context(request),
        "title": _("Published models"),
        "published": published_versions_get(),
    }
    return render(request, "admin/published_models.html", context)
