"""Sign up, log in (throttled), log out."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"


def test_signup_logs_in_and_asks_for_a_few_ratings(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "grace",
            "password1": "a long passphrase 7",
            "password2": "a long passphrase 7",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/about-you/"
    assert get_user_model().objects.filter(username="grace").exists()
    onboarding = client.get("/accounts/about-you/")
    assert onboarding.status_code == 302 and onboarding["Location"] == "/welcome/", (
        "the served model uses no demographics: the step asking for them is skipped"
    )
    assert client.get("/welcome/").status_code == 200


def test_signup_shows_what_is_wrong(client):
    response = client.post(
        "/accounts/signup/", {"username": "grace", "password1": "abc", "password2": "abd"}
    )
    assert response.status_code == 200
    assert "password fields didn" in response.content.decode()


def test_login_and_logout(client, account):
    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/for-you/"
    assert client.get("/my/ratings/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405, "logging out takes a POST"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/my/ratings/").status_code == 302


def test_wrong_password_says_so(client, account):
    response = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_block_more_attempts_for_that_user_and_address(client, account):
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200
        )
    blocked = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    assert client.get("/my/ratings/").status_code == 302, "the right password did not get in"
    other_user = client.post("/accounts/login/", {"username": "ADA2", "password": "x"})
    assert other_user.status_code == 200, "another user name is not blocked"
    elsewhere = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 302, "another address is not blocked"


def test_the_block_ends_after_the_window(client, account, settings):
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 1
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada", "password": "x"})
    assert client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 429
    import time

    time.sleep(1.1)
    ok = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert ok.status_code == 302


def test_success_clears_the_failures(client, account):
    for _ in range(4):
        client.post("/accounts/login/", {"username": "ada", "password": "x"})
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    client.post("/accounts/logout/")
    for _ in range(4):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200
        )


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
