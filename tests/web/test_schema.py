"""Property-based tests of the JSON API from its own OpenAPI schema (schemathesis): generated
requests, valid and not, must never cause a 500 and must get the documented answers."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
checks = pytest.importorskip("schemathesis.checks")

CSRF_SECRET = "S" * 32
"""A well-formed CSRF secret: sent as the cookie and, unmasked, as the header."""


# Loaded at collection: building the schema touches no database (Django is set up by conftest).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """A WSGI handler closes the database connection after each request; the test's transaction
    lives on that connection. Django's test client disconnects the same signal for this reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@EXAMPLES
def test_api_anonymous(db, case):
    case.call_and_validate()


@pytest.fixture
def session_cookies(django_user_model) -> dict[str, str]:
    user = django_user_model.objects.create_user("schema", password="pw-for-schema-1")
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}


@schema.include(path_regex="^/api/me/").parametrize()
@EXAMPLES
def test_api_signed_in(case, session_cookies):
    # The session is supplied here, so the checks that vary it (dropping or forging the
    # cookie) do not apply; the anonymous run above covers what happens without it. Stars valid
    # for the schema (any half star) may still be refused by a whole-star model: the schema is
    # static, the rating scale belongs to the model being served.
    response = case.call_and_validate(
        cookies=session_cookies,
        headers={"X-CSRFToken": CSRF_SECRET},
        excluded_checks=[
            checks.ignored_auth,
            checks.negative_data_rejection,
            checks.positive_data_acceptance,
        ],
    )
    assert response.status_code not in (401, 403), "the session and CSRF token were accepted"
