"""The login throttle under real concurrency: many wrong passwords for one account sent at once
to a live server on 127.0.0.1 must not get more password checks than the limit."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth import forms as auth_forms

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse 42"
CLIENTS = 12


class Browser:
    """One client with its own cookies and CSRF token, as a separate visitor would have."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/accounts/login/").read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, password: str) -> int:
        body = urllib.parse.urlencode({"username": "ada", "password": password,
                                       "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(f"{self.base}/accounts/login/", data=body,
                                         headers={"Referer": f"{self.base}/accounts/login/"})
        try:
            return self.opener.open(request).status
        except urllib.error.HTTPError as error:
            return error.code


def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(
        live_server, account, monkeypatch, settings) -> None:
    checked = []
    authenticate = auth_forms.authenticate

    def counting(request, **credentials):
        checked.append(credentials.get("username"))
        return authenticate(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", counting)
    browsers = [Browser(live_server.url) for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    answers: list[int] = []

    def attack(browser: Browser) -> None:
        start.wait()
        answers.append(browser.log_in("wrong"))

    threads = [threading.Thread(target=attack, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == CLIENTS and set(answers) <= {200, 429}
    assert len(checked) <= settings.LOGIN_FAILURE_LIMIT
    assert answers.count(429) >= CLIENTS - settings.LOGIN_FAILURE_LIMIT
    # The right password is refused too, without a check, until the window ends.
    assert browsers[0].log_in(PASSWORD) == 429
    assert len(checked) <= settings.LOGIN_FAILURE_LIMIT
