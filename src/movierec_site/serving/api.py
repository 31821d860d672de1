"""/api/healthz and /api/readyz: the plain health views' answers, documented in the API."""

from django.http import HttpRequest
from ninja import Router, Status

from movierec_site.serving.health import ALIVE, HealthOut, ReadinessOut, readiness_get

router = Router(tags=["health"])


# The operation ids the routes had in the API's first module, kept for generated clients.
@router.get("/healthz", response=HealthOut, summary="Liveness",
            operation_id="movierec_site_api_healthz")
def healthz(request: HttpRequest):
    """The process answers (also at /healthz)."""
    return ALIVE


@router.get("/readyz", response={200: ReadinessOut, 503: ReadinessOut}, summary="Readiness",
            operation_id="movierec_site_api_readyz")
def readyz(request: HttpRequest):
    """The model is loaded and the database answers (also at /readyz); 503 otherwise.
    Folder paths are shown to staff only."""
    readiness = readiness_get(request)
    return Status(readiness.http_status, readiness)
