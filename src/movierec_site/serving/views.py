"""/healthz and /readyz for load balancers and orchestrators: plain JSON, no session needed."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from movierec_site.serving.health import ALIVE, readiness_get


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
