"""Settings every environment shares. Secrets and deployment choices come from the environment."""

import os
from pathlib import Path

import dj_database_url

from movierec import paths

SITE_DIR = Path(__file__).resolve().parent.parent
"""The `movierec_site` package: its templates/ and static/ ship with it."""

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [host for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # In INSTALLED_APPS so the API docs use the Swagger UI files ninja ships, never a CDN.
    "ninja",
    "movierec_site.serving",
    "movierec_site.accounts",
    "movierec_site.catalog",
    "movierec_site.ratings",
    "movierec_site.lists",
    "movierec_site.recommendations",
    "movierec_site.posters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "movierec_site.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "movierec_site.languages.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "movierec_site.serving.middleware.EngineErrorMiddleware",
]

ROOT_URLCONF = "movierec_site.urls"
WSGI_APPLICATION = "movierec_site.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "recommendations:for_you"
LOGOUT_REDIRECT_URL = "catalog:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "movierec_site.context_processors.site_links",
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict:
    """SQLite tuned for a web server: WAL lets readers run beside the writer, IMMEDIATE
    transactions take the write lock up front (no deadlock when two readers both upgrade), and a
    20 s busy timeout queues writers instead of failing them."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


def database_from_environment() -> dict:
    """PostgreSQL (or any backend) from DATABASE_URL, else SQLite at $MOVIEREC_HOME/site.sqlite3."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    # The folder is created at startup (serving.apps), not here: importing settings writes nothing.
    return sqlite_database(paths.home() / "site.sqlite3")


DATABASES = {"default": database_from_environment()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's own internationalisation: English (the source) and Simplified Chinese, picked from the
# browser's Accept-Language until a person chooses (a cookie, and the account's setting); URLs
# stay the same in both. Catalogues: locale/<lang>/LC_MESSAGES/django.po, compiled by `make`
# (`python -m movierec_site.translations`).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [SITE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "movierec_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", paths.home() / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MOVIEREC_MODEL = paths.published_model()
"""The published model: a symlink (or folder) that `movierec publish` repoints."""
MOVIEREC_MODEL_CHECK_SECONDS = 1.0
"""How often a process looks whether MOVIEREC_MODEL points somewhere new."""

LOGIN_FAILURE_LIMIT = 5
"""Failed logins per client address and user name before more are refused for a while."""
LOGIN_ADDRESS_FAILURE_LIMIT = 30
"""Failed logins per client address, across every user name, before it is refused for a while."""
LOGIN_FAILURE_WINDOW_SECONDS = 300
"""How long a run of failed logins is remembered, and so how long a refusal lasts."""
SIGNUP_LIMIT = 10
"""Accounts made from one client address before more sign-ups from it are refused for a while."""
SIGNUP_WINDOW_SECONDS = 3600
"""How long sign-ups from an address are counted, and so how long a refusal lasts."""

TMDB_API_KEY = os.environ.get("TMDB_API_KEY", "")
"""Posters come from TMDB when this is set; otherwise they are drawn locally."""
TMDB_API_URL = os.environ.get("TMDB_API_URL", "https://api.themoviedb.org/3")
TMDB_IMAGE_URL = os.environ.get("TMDB_IMAGE_URL", "https://image.tmdb.org/t/p/w342")
TMDB_TIMEOUT_SECONDS = float(os.environ.get("TMDB_TIMEOUT_SECONDS", "3"))
TMDB_WORKERS = 2
"""Background threads fetching posters: few, so TMDB's rate limit is never approached."""
TMDB_RETRY_SECONDS = 3600
"""How long a failed poster lookup waits before it is tried again."""
TMDB_PAUSE_SECONDS = 60
"""After TMDB fails to answer, no fetch is tried for this long."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"movierec_site": {"level": "INFO"}},
}
