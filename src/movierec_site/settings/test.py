"""Tests: a throwaway database, fast password hashing, no network, no secrets needed."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from movierec_site.settings.base import *  # noqa: F403
from movierec_site.settings.base import sqlite_database

SECRET_KEY = "test-only-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A file with WAL, as in production, rather than ":memory:": an in-memory database shared between
# threads locks whole tables and fails at once where a file waits its turn, and the live-server,
# poster and model-swap tests run requests in several threads.
_TEST_DATABASE = Path(tempfile.gettempdir()) / f"movierec-test-{os.getpid()}.sqlite3"
DATABASES = {"default": {**sqlite_database(_TEST_DATABASE), "TEST": {"NAME": _TEST_DATABASE}}}
# The PostgreSQL pass (scripts/with_postgres.py) names its throwaway cluster here. A variable of
# the tests' own, not DATABASE_URL: a shell set up for production must not steer the tests there.
# No persistent connections: a thread's leftover one would keep the test database from being
# dropped at the end.
if os.environ.get("MOVIEREC_TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["MOVIEREC_TEST_DATABASE_URL"])}
# Tests never touch a real model: each publishes its own (see tests/web/conftest.py).
MOVIEREC_MODEL = Path(tempfile.gettempdir()) / "movierec-test-no-model" / "current"
# Hashing passwords properly costs ~0.3 s each; tests create many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TMDB_API_KEY = ""
LOGGING = {"version": 1, "disable_existing_loggers": False}
