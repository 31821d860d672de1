"""The site in a real browser (Playwright driving Debian's headless chromium) against a live
server: sign up, say who you are, rate, watch "for you" change, follow links, search with a
typo.

The fixtures (`browser`, `page`, `shots`) are in browser_session.py. Set
MOVIEREC_SCREENSHOTS=docs/screenshots to refresh the screenshots in the docs.
"""

import pytest

from .browser_session import log_in, sign_up

# slow: a headless chromium drives a live server, 2-4 s a test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def recommendation_titles(page) -> list[str]:
    return page.locator("#for-you .card-title").all_inner_texts()


def rate(page, card_index: int, stars: int) -> None:
    """Click a star on the welcome page and wait until the picks below have reloaded."""
    form = page.locator("form.stars").nth(card_index)
    with page.expect_response(lambda r: "/for-you/list/" in r.url):
        form.locator(f"button.star[value='{stars}']").click()
    # A selector wait, not wait_for_function: the site's Content-Security-Policy forbids eval,
    # which a string predicate needs whenever Playwright polls it in the page.
    page.locator("#for-you.refreshing").wait_for(state="detached")
    assert form.locator(".stars-status").inner_text() == "Saved"


def test_sign_up_rate_three_and_see_for_you_change(page, shots):
    sign_up(page, "lin")
    assert "Popular, well-rated movies to start with" in page.inner_text("#for-you")
    seen: list[list[str]] = []
    for index, stars in ((0, 5), (1, 4), (4, 1)):
        rate(page, index, stars)
        seen.append(recommendation_titles(page))
        assert seen[-1], "recommendations appear from the first rating on"
    assert seen[0] != seen[1] != seen[2], "each rating changes the recommendations"
    assert "From your 3 ratings" in page.inner_text("#for-you")

    page.goto("/for-you/")
    assert page.locator("#for-you .card").count() >= 10
    assert "because you rated" in page.inner_text("#for-you")
    page.screenshot(path=str(shots / "for-you.png"))

    page.goto("/my/ratings/")
    assert page.locator("main .card").count() == 3


def test_sign_up_say_who_you_are_and_get_starter_picks_like_you(page, demographic_model, shots):
    page.goto("/accounts/signup/")
    page.fill("#id_username", "mo")
    page.fill("#id_password1", "a long passphrase 7")
    page.fill("#id_password2", "a long passphrase 7")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/about-you/")
    page.select_option("#id_age_group", label="25-34")
    page.select_option("#id_occupation", label="Programmer")
    page.screenshot(path=str(shots / "onboarding.png"))
    page.click("main button[type=submit]")
    page.wait_for_url("**/welcome/")
    note = "Popular with people like you (25-34, programmer)"
    assert note in page.inner_text("#for-you")
    page.goto("/for-you/")
    assert note in page.inner_text("#for-you")
    assert "25-34 programmers" in page.locator("#for-you .card-reason").first.inner_text()
    page.screenshot(path=str(shots / "for-you-starter.png"))
    page.goto("/accounts/profile/")
    page.screenshot(path=str(shots / "account.png"))
    page.click("button[name=clear]")
    page.wait_for_url("**/accounts/profile/")
    assert page.input_value("#id_occupation") == ""
    page.goto("/for-you/")
    assert "Popular, well-rated movies to start with" in page.inner_text("#for-you")


def test_rating_on_a_movie_page_changes_and_removes_without_a_reload(page, account, shots):
    log_in(page)
    page.goto("/movies/9/")
    page.evaluate("window.notReloaded = true")
    widget = page.locator(".your-rating form.stars")
    with page.expect_response(lambda r: "/api/me/ratings/9" in r.url and r.status == 200):
        widget.locator("button.star[value='4']").click()
    assert widget.locator("button.star.on").count() == 4
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shots / "movie.png"))
    with page.expect_response(lambda r: "/api/me/ratings/9" in r.url and r.status == 200):
        widget.locator("button.star[value='2']").click()
    assert widget.locator("button.star.on").count() == 2
    assert account.ratings.get(movie_id=9).stars == 2
    with page.expect_response(lambda r: "/api/me/ratings/9" in r.url and r.status == 204):
        widget.locator(".stars-clear").click()
    assert widget.locator("button.star.on").count() == 0
    assert not account.ratings.exists()
    assert page.evaluate("window.notReloaded") is True


def test_open_a_movie_and_follow_a_similar_one(page, shots):
    page.goto("/")
    page.screenshot(path=str(shots / "home.png"))
    page.locator("section.row").first.locator(".card-link").first.click()
    page.wait_for_url("**/movies/*/")
    first_title = page.inner_text("h1")
    similar = page.locator("#similar-head").locator("xpath=../..").locator(".card-link").first
    similar_title = similar.locator(".card-title").inner_text()
    similar.click()
    page.wait_for_url("**/movies/*/")
    assert page.inner_text("h1").startswith(similar_title)
    assert similar_title not in first_title


def test_search_with_a_typo_finds_the_movie(page):
    page.goto("/")
    page.fill("#search-q", "the matirx")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search/?q=the+matirx")
    assert page.locator("main .card-title").first.inner_text() == "The Matrix"


def test_api_docs_work_offline(page, shots):
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock").count() >= 12
    page.screenshot(path=str(shots / "api-docs.png"))


def test_the_layout_fits_a_phone(browser, live_server, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/movies/19/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing overflows sideways"
    page.screenshot(path=str(shots / "movie-phone.png"))
    context.close()
