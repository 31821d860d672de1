"""The look and feel in a real browser: the theme switch, the row arrows, the skip link, and the
drawn posters' titles measured in the fonts chromium really uses. The browser and page fixtures
are test_browser's (headless chromium against a live server)."""

import re
import time

import pytest

from movierec_site.posters.drawing import MARGIN, WIDTH, poster_svg

# slow: a headless chromium drives a live server, 2-4 s a test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def body_background(page) -> str:
    return page.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")


def brightness(css_colour: str) -> float:
    """0 (black) to 255 (white): the mean of an `rgb(r, g, b)` colour's channels."""
    channels = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    return sum(float(channel) for channel in channels[:3]) / 3


def wait_until(check, timeout: float = 5.0) -> None:
    # A Python poll, not wait_for_function: the site's CSP forbids the eval that one needs.
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_theme_follows_the_system_until_switched_and_the_choice_survives_a_reload(page):
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    switch = page.locator("[data-theme-switch]")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "true"
    assert brightness(body_background(page)) < 40, "dark, as the system is"

    switch.click()
    assert brightness(body_background(page)) > 200, "light once switched"
    assert switch.get_attribute("aria-pressed") == "false"

    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert brightness(body_background(page)) > 200, "still light after a reload"
    assert page.locator("[data-theme-switch]").get_attribute("aria-pressed") == "false"

    page.locator("[data-theme-switch]").click()
    page.goto("/movies/1/")
    assert brightness(body_background(page)) < 40, "dark again, on the next page too"


def test_without_a_choice_a_light_system_gets_the_light_theme(page):
    page.emulate_media(color_scheme="light")
    page.goto("/")
    assert brightness(body_background(page)) > 200
    assert page.locator("[data-theme-switch]").get_attribute("aria-pressed") == "false"


def test_the_row_arrows_scroll_the_row_and_stop_at_its_ends(page):
    page.goto("/")
    row = page.locator("section.row").first
    cards = row.locator(".row-cards")
    previous, following = row.locator(".row-previous"), row.locator(".row-next")
    assert previous.get_attribute("aria-label").startswith("Previous movies in ")
    assert following.get_attribute("aria-controls") == cards.get_attribute("id")
    assert previous.is_disabled() and following.is_enabled(), "at the start, only next"

    following.click()
    wait_until(lambda: cards.evaluate("row => row.scrollLeft") > 100)
    wait_until(previous.is_enabled)

    # From the keyboard as well: Enter on the focused button scrolls on to the end.
    following.focus()
    for _ in range(30):
        if following.is_disabled():
            break
        page.keyboard.press("Enter")
        time.sleep(0.4)
    assert following.is_disabled(), "at the end, next is off"
    end = cards.evaluate("row => row.scrollWidth - row.clientWidth")
    assert cards.evaluate("row => row.scrollLeft") >= end - 8
    assert page.evaluate("document.activeElement.className").endswith("row-previous"), (
        "the keyboard's focus moves to the button still on"
    )


def test_the_first_tab_shows_the_skip_link_and_it_leads_to_the_content(page):
    page.goto("/movies/1/")
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["y"] < 0, "out of sight until focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 10, "in sight when focused"
    page.keyboard.press("Enter")
    # The jump to the anchor lands a moment after the key; the URL is waited for, not read at
    # once (read at once, it was once still the page's own under a loaded machine).
    page.wait_for_url(re.compile(r"#content$"), timeout=5000)
    assert page.url.endswith("#content")


TITLES = [
    "Schindler's List",
    "Independence Day",
    "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
    "WWWWW MMMMM WWWWW MMMMM WWWWW",
    "Supercalifragilisticexpialidocious Supercalifragilisticexpialidocious",
    "Léon: The Professional",
]


@pytest.mark.parametrize("title", TITLES)
def test_a_drawn_posters_title_stays_inside_it_in_real_fonts(browser, title):
    svg = poster_svg(movie_id=3, title=title, year=1994, genres=("Drama",))
    drawing = browser.new_page()
    drawing.set_content(svg)
    ends = drawing.locator("tspan").evaluate_all(
        "spans => spans.map(span => span.getStartPositionOfChar(0).x"
        " + span.getComputedTextLength())"
    )
    drawing.close()
    assert ends and max(ends) <= WIDTH - MARGIN + 0.5, f"{title}: {ends}"
