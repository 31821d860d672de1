"""Sign up, log in (throttled), log out."""

import pytest
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.test import Client

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


def test_a_look_alike_spelling_shares_the_count(client, account):
    fullwidth = "\uff41\uff44\uff41"  # "ada" in fullwidth letters: the same name once NFKC'd
    for name in ["ada", "ADA", fullwidth, "ada ", fullwidth]:
        client.post("/accounts/login/", {"username": name, "password": "x"})
    blocked = client.post("/accounts/login/", {"username": fullwidth, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts to log in as this user" in blocked.content.decode()
    assert client.get("/my/ratings/").status_code == 302, "the right password did not get in"


def test_a_look_alike_spelling_logs_in_when_not_blocked(client, account):
    fullwidth = "\uff41\uff44\uff41"
    response = client.post("/accounts/login/", {"username": fullwidth, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def staff_account(django_user_model):
    return django_user_model.objects.create_user(
        username="root", password=PASSWORD, is_staff=True, is_superuser=True
    )


def test_the_admin_login_shares_the_throttle(client, staff_account):
    for page in ["/accounts/login/", "/admin/login/"] * 2 + ["/admin/login/"]:
        response = client.post(page, {"username": "root", "password": "x"})
        assert response.status_code == 200
    blocked = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert blocked.status_code == 200
    assert "Too many failed attempts to log in as this user" in blocked.content.decode()
    assert client.get("/admin/").status_code == 302, "the right password did not get in"
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    ok = elsewhere.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


def test_one_address_trying_many_names_is_refused(client, account, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for number in range(12):
        response = client.post("/accounts/login/", {"username": f"guess{number}", "password": "x"})
        assert response.status_code == 200
    blocked = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts to log in from your address" in blocked.content.decode()
    assert client.get("/my/ratings/").status_code == 302, "the right password did not get in"
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    ok = elsewhere.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert ok.status_code == 302, "another address is not blocked"


def test_logins_that_succeed_use_none_of_the_address_limit(client, account, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    for _ in range(4):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
            == 302
        )
        client.post("/accounts/logout/")


def test_an_attempt_is_counted_before_its_password_is_checked(client, account, monkeypatch):
    """Another worker's attempt arrives while the fifth is being checked: it must already see
    five attempts counted, so the right password is refused without a check."""
    checked = []
    interleaved = []
    authenticate = auth_forms.authenticate

    def authenticate_slowly(request, **credentials):
        checked.append(credentials["username"])
        if len(checked) == 5:
            other_worker = Client()
            interleaved.append(
                other_worker.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
            )
        return authenticate(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", authenticate_slowly)
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"username": "ada", "password": "x"}).status_code == 200
        )
    assert [response.status_code for response in interleaved] == [429]
    assert len(checked) == 5, "the refused attempt's password was never checked"
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 429
    )
    assert len(checked) == 5


def _sign_up(client: Client, username: str):
    password = "a long passphrase 7"
    return client.post(
        "/accounts/signup/", {"username": username, "password1": password, "password2": password}
    )


@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [("ada", "ＡＤＡ"), ("ada", "Ada"), ("Élodie", "élodie"), ("straße", "STRASSE")],
)
def test_a_look_alike_of_an_existing_name_is_taken(client, django_user_model, existing, look_alike):
    django_user_model.objects.create_user(username=existing, password=PASSWORD)
    response = _sign_up(client, look_alike)
    assert response.status_code == 200
    assert "that name is taken" in response.content.decode()
    assert django_user_model.objects.count() == 1


def test_sign_ups_are_throttled_per_address(settings):
    settings.SIGNUP_LIMIT = 2
    for number in range(2):
        assert _sign_up(Client(), f"reader{number}").status_code == 302
    refused = _sign_up(Client(), "reader2")
    assert refused.status_code == 200 and "Too many accounts" in refused.content.decode()
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert _sign_up(other_address, "reader3").status_code == 302
    assert get_user_model().objects.count() == 3
