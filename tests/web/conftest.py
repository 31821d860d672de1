"""The web tests: Django configured here only, so the other test folders run without Django.

Every test sees a published synthetic model (a `current` symlink, as `movierec publish` makes)
unless it points MOVIEREC_MODEL elsewhere.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .artifacts import make_artifact
from .browser_session import browser, page, shots  # noqa: F401  (fixtures of the browser tests)

try:
    import django
    import pytest_django  # noqa: F401  (its fixtures are used below)
except ImportError:  # the web extra is not installed: the rest of the suite still runs
    django = None

collect_ignore_glob = ["test_*.py"] if django is None else []


def pytest_configure(config: pytest.Config) -> None:
    if django is None:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings.test")
    django.setup()
    from movierec_site.translations import compile_catalogues

    # As `make` does: pages in Chinese need the catalogues compiled, and a plain `pytest` too.
    compile_catalogues()


def pytest_report_header(config: pytest.Config) -> str | None:
    """Which database this run tests on: the suite runs once on SQLite, once on PostgreSQL."""
    if django is None:
        return None
    from django.db import connection

    return f"web tests database: {connection.vendor}"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic model every test serves (whole stars, 50 movies, 40 users)."""
    return make_artifact(tmp_path_factory.mktemp("models") / "run-1")


@pytest.fixture(scope="session")
def demographic_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic model with a (gender, age, occupation) table: programmers like action."""
    return make_artifact(tmp_path_factory.mktemp("models") / "run-demo", demographics=True)


@pytest.fixture(scope="session")
def half_star_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_artifact(tmp_path_factory.mktemp("models") / "run-half", half_stars=True, seed=1)


def publish_link(folder: Path, target: Path) -> Path:
    """A `current` symlink in `folder` pointing at `target`, swapped atomically as publish does."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "current"
    temporary = folder / ".current.tmp"
    if temporary.is_symlink():
        temporary.unlink()
    temporary.symlink_to(target)
    os.replace(temporary, link)
    return link


@pytest.fixture(scope="session", autouse=True)
def published_model(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from django.test import override_settings  # only once Django is set up

    link = publish_link(tmp_path_factory.mktemp("published"), model_dir)
    with override_settings(MOVIEREC_MODEL=link):
        yield link


@pytest.fixture
def half_star_model(half_star_model_dir: Path, tmp_path: Path, settings) -> Path:
    """Serve the half-star model for this test."""
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "half", half_star_model_dir)
    return settings.MOVIEREC_MODEL


@pytest.fixture
def demographic_model(demographic_model_dir: Path, tmp_path: Path, settings) -> Path:
    """Serve the model that uses age group, gender and occupation for this test."""
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "demographic", demographic_model_dir)
    return settings.MOVIEREC_MODEL


@pytest.fixture
def account(django_user_model):
    return django_user_model.objects.create_user(username="ada", password="correct horse 42")


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client
