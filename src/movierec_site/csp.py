"""A Content-Security-Policy on every HTML page: scripts, styles and images from this site only
(plus TMDB's image host when posters come from TMDB), so injected markup cannot run or load."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def content_security_policy() -> str:
    """The policy for the current settings; read per response, so tests may change them."""
    image_sources = ["'self'", "data:"]
    if settings.TMDB_API_KEY:
        image_url = urlsplit(settings.TMDB_IMAGE_URL)
        image_sources.append(f"{image_url.scheme}://{image_url.netloc}")
    directives = {
        "default-src": ["'self'"],
        "img-src": image_sources,
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and HEADER not in response:
            response[HEADER] = content_security_policy()
        return response
