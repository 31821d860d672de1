"""Settings and process-level properties, checked in fresh interpreters where they concern
start-up: production checks, secrets from the environment, databases, no torch."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def clean_environment() -> dict[str, str]:
    """The environment without any Django or database setting of the shell running the tests."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "ALLOWED_HOSTS", "MOVIEREC_MODEL"))
    }


def run_python(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean_environment(), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def prod_env(home: Path, **extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "movies.example.org",
        "MOVIEREC_HOME": str(home),
        **extra,
    }


def test_the_web_layer_never_imports_torch(tmp_path):
    code = """
import sys, django
django.setup()
import importlib, pkgutil, movierec_site
for module in pkgutil.walk_packages(movierec_site.__path__, "movierec_site."):
    skip = (".migrations", ".settings.", ".asgi", ".wsgi")
    if not any(part in module.name + "." for part in skip):
        importlib.import_module(module.name)
from django.test import Client
Client().get("/")
print("torch" in sys.modules)
"""
    env = {
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings.test",
        "MOVIEREC_HOME": str(tmp_path),
        # The test settings put their database in the temporary folder: this test's own.
        "TMPDIR": str(tmp_path),
    }
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_web_uses_only_the_engines_public_api():
    import ast

    import movierec.engine

    public = set(movierec.engine.__all__)
    for path in (ROOT / "src" / "movierec_site").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "movierec.engine"
            ):
                assert node.module == "movierec.engine", f"{path}: imports {node.module}"
                names = {alias.name for alias in node.names}
                assert names <= public, f"{path}: imports {names - public}"
            elif isinstance(node, ast.Import):
                modules = {alias.name for alias in node.names}
                assert not any(m.startswith("movierec.engine") for m in modules), path


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean_environment(), **prod_env(tmp_path)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = prod_env(tmp_path)
    env[missing] = ""
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_sqlite_is_the_default_in_movierec_home_with_wal_and_immediate_transactions(tmp_path):
    code = """
import django
django.setup()
from django.conf import settings
from django.db import connection
database = settings.DATABASES["default"]
print(database["NAME"])
print(database["OPTIONS"]["transaction_mode"])
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""
    result = run_python(code, prod_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    name, mode, journal = result.stdout.split()
    assert name == str(tmp_path / "home" / "site.sqlite3")
    assert mode == "IMMEDIATE" and journal == "wal"


def test_database_url_selects_postgresql(tmp_path):
    # Settings only: the PostgreSQL driver (psycopg) need not be installed to read them.
    code = """
from django.conf import settings
database = settings.DATABASES["default"]
print(database["ENGINE"], database["NAME"], database["HOST"], database["PORT"])
"""
    url = "postgres://movierec:pw@db.internal:5433/movies"
    result = run_python(code, prod_env(tmp_path, DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "movies",
        "db.internal",
        "5433",
    ]


def test_manage_py_defaults_to_development_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "diffsettings", "--all"],
        env={**clean_environment(), "MOVIEREC_HOME": str(tmp_path)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'movierec_site.settings.dev'" in result.stdout
    assert "DEBUG = True" in result.stdout


def test_migrations_are_complete(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        env={
            **clean_environment(),
            "DJANGO_SETTINGS_MODULE": "movierec_site.settings.test",
            "MOVIEREC_HOME": str(tmp_path),
            "TMPDIR": str(tmp_path),
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_hsts_stays_on_this_site_and_lists_ignore_empty_entries(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)"
    )
    lists = {"ALLOWED_HOSTS": "a.org,,b.org, ,", "CSRF_TRUSTED_ORIGINS": "https://a.org, ,"}
    result = run_python(show, prod_env(tmp_path, **lists))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "['a.org',", "'b.org']", "['https://a.org']"]
    asked = {"DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_SECURE_HSTS_PRELOAD": "1"}
    result = run_python(show, prod_env(tmp_path, **asked))
    assert result.stdout.split()[:2] == ["True", "True"]
