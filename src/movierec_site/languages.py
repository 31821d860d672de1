"""The site's language: chosen on any page, remembered in a cookie and, for a signed-in person,
on the account, so that it follows them to another browser. Before any choice, the browser's
Accept-Language decides (Django's LocaleMiddleware). URLs are the same in every language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language` (cookie, then back to `next` on this site), and the account's
    choice saved as well. An unknown language changes nothing."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if code in dict(settings.LANGUAGES) and request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


class AccountLanguageMiddleware:
    """A signed-in person's chosen language wins over the cookie and the browser: it is their
    account's. After AuthenticationMiddleware, before the views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated \
            else ""
        if chosen in dict(settings.LANGUAGES):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
