"""Where a form that works without JavaScript sends the person after it is done."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, movie_id: int) -> HttpResponse:
    """Back to the page the form was on (its `next` field, when it is a page of this site),
    else to the movie's page: never to another site (an open redirect)."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(back)
    return redirect("catalog:movie", movie_id=movie_id)
