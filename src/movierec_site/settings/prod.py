"""Production: everything secret or deployment-specific comes from the environment, and the
process refuses to start without it. Passes `manage.py check --deploy` with no warnings."""

import os

from django.core.exceptions import ImproperlyConfigured

from movierec import paths
from movierec_site.settings.base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set; production settings take it from the environment "
            f"(see the README's deployment section)"
        )
    return value


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _entries(text: str) -> list[str]:
    """The comma-separated entries of `text`; empty ones ("a.org,,b.org," or ", ") are ignored."""
    return [entry.strip() for entry in text.split(",") if entry.strip()]


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _entries(_required("ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = _entries(os.environ.get("CSRF_TRUSTED_ORIGINS", ""))

# HTTPS everywhere. Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1 so
# Django trusts X-Forwarded-Proto; DJANGO_SECURE_SSL_REDIRECT=0 leaves redirects to the proxy.
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", True)
if _flag("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
# Both bind more than this site (every subdomain; browsers' built-in lists, slow to leave), so
# they are off unless the deployment asks, and Django's reminders about them are silenced then.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _flag("DJANGO_SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# A file cache is shared by the processes of one machine and needs no setup. Login throttling
# counts in the database instead: this cache cannot increment atomically across workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(paths.home() / "cache")),
    }
}

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "INFO"},
}
