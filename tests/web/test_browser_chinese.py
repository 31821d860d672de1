"""The site in Chinese in a real browser (fixtures: browser_session.py): a Chinese browser gets
Chinese pages, the footer's switch changes the language on any page and the account keeps it;
sign-up, rating and "for you" all in Chinese. Screenshots: zh-home.png, zh-movie.png,
zh-for-you.png (MOVIEREC_SCREENSHOTS=docs/screenshots to refresh them)."""

import re

import pytest

from .browser_session import sign_up

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 860},
                                  base_url=live_server.url, locale="zh-CN")
    yield context.new_page()
    context.close()


def nav_texts(page) -> list[str]:
    return page.locator("nav.nav a").all_inner_texts()


CHINESE_TITLES = {1: "玩具总动员", 3: "盗火线", 9: "星球大战", 13: "狮子王", 19: "黑客帝国"}
"""What TMDB's zh-CN data names a few of the test catalogue's movies (the poster job stores it)."""


def test_a_chinese_browser_signs_up_rates_and_gets_picks_in_chinese(chinese_page, shots) -> None:
    from django.utils import timezone

    from movierec_site.posters.models import CachedPoster

    for movie_id, title in CHINESE_TITLES.items():
        CachedPoster.objects.create(movie_id=movie_id, status=CachedPoster.Status.MISSING,
                                    fetched_at=timezone.now(), chinese_title=title,
                                    chinese_checked=True)
    page = chinese_page
    page.goto("/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert all(CJK.search(text) for text in nav_texts(page) if text not in ("API",))
    page.screenshot(path=str(shots / "zh-home.png"))
    sign_up(page, "xiaoming")
    form = page.locator("form.stars").first
    with page.expect_response(lambda response: "/for-you/list/" in response.url):
        form.locator("button.star[value='5']").click()
    assert CJK.search(form.locator(".stars-status").inner_text())  # "Saved", in Chinese
    page.goto("/for-you/")
    reasons = page.locator("#for-you .card-reason").all_inner_texts()
    assert reasons and all(CJK.search(reason) for reason in reasons)
    page.screenshot(path=str(shots / "zh-for-you.png"))
    page.goto("/movies/9/")
    assert CJK.search(page.inner_text(".your-rating h2"))
    assert page.inner_text("h1").startswith("星球大战")
    assert page.inner_text(".movie-original") == "Star Wars"
    page.screenshot(path=str(shots / "zh-movie.png"))


def test_the_switch_changes_the_language_on_any_page_and_the_account_keeps_it(
        page, account) -> None:
    from .browser_session import log_in

    log_in(page)
    page.goto("/genres/Comedy/?sort=title")
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.select_option("#language-choice", "zh-hans")  # site.js submits on choosing
    assert page.url.endswith("/genres/Comedy/?sort=title")
    assert page.get_attribute("html", "lang") == "zh-hans"
    account.refresh_from_db()
    assert account.language == "zh-hans"
    page.context.clear_cookies()  # another browser: the account's choice still holds
    log_in(page)
    page.goto("/")
    assert page.get_attribute("html", "lang") == "zh-hans"
    with page.expect_navigation():
        page.select_option("#language-choice", "en")
    assert page.get_attribute("html", "lang") == "en"
