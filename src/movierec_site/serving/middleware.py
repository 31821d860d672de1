"""Engine errors raised while rendering a page become a page that says what went wrong."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from movierec_site.serving.errors import TITLES, error_status


class EngineErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        status = error_status(exception)
        if status is None:
            return None
        context = {"status": status, "title": TITLES.get(status, _("Error")), "message": exception}
        return render(request, "error.html", context, status=status)
