"""The README's production section on PostgreSQL: migrate, a rating write through the API and the
retraining export, each a fresh `manage.py` process with production settings and DATABASE_URL.

Runs in the PostgreSQL pass (`make test` starts a throwaway cluster with
scripts/with_postgres.py), in a database of its own on that cluster, not the test database.
"""

import csv
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import publish_link
from .test_operations import ROOT, clean_environment, prod_env, run_python

CLUSTER_URL = os.environ.get("MOVIEREC_TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not CLUSTER_URL, reason="runs in the PostgreSQL pass (scripts/with_postgres.py, `make test`)"
)
# Imported only where it runs: the SQLite pass must not need the PostgreSQL driver.
psycopg = pytest.importorskip("psycopg") if CLUSTER_URL else None

_RATE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
user = get_user_model().objects.create_user("ada", password=None)
client = Client()
client.force_login(user)
response = client.put("/api/me/ratings/3", {"stars": 4}, content_type="application/json",
                      secure=True)
print(response.status_code, user.pk)
"""


@pytest.fixture
def production_database() -> Iterator[str]:
    """A fresh, empty database on the test cluster: DATABASE_URL as production would set it."""
    name = f"movierec_production_{secrets.token_hex(4)}"
    # The maintenance database `postgres` is where databases are made and dropped.
    with psycopg.connect(CLUSTER_URL, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield urlsplit(CLUSTER_URL)._replace(path=f"/{name}").geturl()
        finally:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env={**clean_environment(), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_migrates_rates_and_exports_on_postgresql(
    production_database, model_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    publish_link(home / "models", model_dir)
    # The test client's requests are to `testserver`, over HTTPS (secure=True) as production wants.
    env = prod_env(home, DATABASE_URL=production_database, ALLOWED_HOSTS="testserver")

    migrated = manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    rated = run_python(_RATE, env, timeout=120)
    assert rated.returncode == 0, rated.stderr
    status, user = rated.stdout.split()
    assert status == "200"

    out = tmp_path / "site-ratings.csv"
    exported = manage(env, "export_ratings", str(out), "--user-id-offset", "1000")
    assert exported.returncode == 0, exported.stdout + exported.stderr
    rows = list(csv.DictReader(out.open()))
    assert [(r["user"], r["movie"], r["rating"]) for r in rows] == [
        (str(1000 + int(user)), "3", "4")
    ]
    # The rating is in PostgreSQL, not in a SQLite file the settings fell back to.
    with psycopg.connect(production_database) as database:
        assert database.execute("SELECT stars FROM ratings_rating").fetchall() == [(4.0,)]
