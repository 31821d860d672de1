"""The browser tests' fixtures: Playwright driving Debian's headless chromium against a live
server. The web conftest offers them to every test module; a test that asks for `browser` or
`page` is skipped where chromium or Playwright is missing, and fails under CI (.ci/run installs
both).

Set MOVIEREC_SCREENSHOTS=docs/screenshots to refresh the screenshots in the docs.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("MOVIEREC_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _missing() -> str | None:
    """Why the browser tests cannot run here; None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if shutil.which(str(CHROMIUM)) is None:
        return (f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) "
                "or point MOVIEREC_CHROMIUM at a Chromium binary")
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    why = _missing()
    if why and os.environ.get("CI") == "true":
        # CI must run the browser tests, not skip them: .ci/run installs chromium.
        pytest.fail(f"{why}; .ci/run should have installed it", pytrace=False)
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            yield launched
            launched.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A desktop-sized page of the live server that fails its test if it asks for anything
    outside it (the site must work offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server.url)
    opened = context.new_page()
    outside: list[str] = []
    opened.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    yield opened
    context.close()
    assert not outside, f"the page asked for outside resources: {outside}"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $MOVIEREC_SCREENSHOTS, else the test's temporary folder."""
    folder = os.environ.get("MOVIEREC_SCREENSHOTS")
    return Path(folder) if folder else tmp_path


def sign_up(page, name: str) -> None:
    """Sign up as `name` and land on the welcome page."""
    page.goto("/accounts/signup/")
    page.fill("#id_username", name)
    page.fill("#id_password1", "a long passphrase 7")
    page.fill("#id_password2", "a long passphrase 7")
    page.click("main button[type=submit]")
    page.wait_for_url("**/welcome/")


def log_in(page, username: str = "ada", password: str = "correct horse 42") -> None:
    """Log in through the form; the defaults are the web conftest's `account`."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
