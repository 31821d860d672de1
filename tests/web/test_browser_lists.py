"""Hide, watchlist and browsing in a real browser (fixtures: browser_session.py): hide a
pick and undo it, keep a watchlist that empties as movies are rated, sort and filter a genre,
all at desktop and phone width.

Set MOVIEREC_SCREENSHOTS=docs/screenshots to refresh the screenshots in the docs.
"""

import pytest

from movierec_site.ratings.models import Rating

from .browser_session import sign_up

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PHONE = {"width": 375, "height": 812}


def rated_account(page, name: str) -> None:
    """A new account that has rated a few movies (Toy Story, Aladdin 5 stars, Heat 1)."""
    from django.contrib.auth import get_user_model

    sign_up(page, name)
    account = get_user_model().objects.get(username=name)
    for movie, stars in ((1, 5), (41, 5), (3, 1)):
        Rating.objects.create(user=account, movie_id=movie, stars=stars)


def card_titles(page, scope: str = "main") -> list[str]:
    return page.locator(f"{scope} .card-title").all_inner_texts()


def test_hide_a_pick_and_undo_it(page, shots) -> None:
    rated_account(page, "hana")
    page.goto("/for-you/")
    first = page.locator("#for-you .card").first
    title = first.locator(".card-title").inner_text()
    assert "You'd rate it about" in first.inner_text()
    first.get_by_role("button", name="Not interested").click()
    page.wait_for_url("**/for-you/")
    assert f"Hidden “{title}”" in page.inner_text(".messages")
    assert title not in card_titles(page, "#for-you")
    page.goto("/my/hidden/")
    assert card_titles(page) == [title]
    page.screenshot(path=str(shots / "hidden.png"))
    page.get_by_role("button", name="Unhide").click()
    page.wait_for_url("**/my/hidden/")
    assert card_titles(page) == []


def test_a_watchlist_empties_as_its_movies_are_rated(page, shots) -> None:
    rated_account(page, "wim")
    page.goto("/genres/Horror/?sort=title")
    for title in ("Halloween", "Psycho"):
        card = page.locator(".card", has=page.locator(".card-title", has_text=title))
        card.get_by_role("button", name="+ Watchlist").click()
        page.wait_for_url("**/genres/Horror/?sort=title")
    page.goto("/my/watchlist/")
    assert card_titles(page) == ["Psycho", "Halloween"]
    page.screenshot(path=str(shots / "watchlist.png"))
    card = page.locator(".card").first
    with page.expect_response(lambda r: "/api/me/ratings/" in r.url and r.status == 200):
        card.locator("button.star[value='4']").click()
    page.reload()
    assert card_titles(page) == ["Halloween"]


def test_sort_and_filter_a_genre_then_page_on_a_phone(browser, live_server, shots) -> None:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    rated_account(page, "pia")
    page.goto("/genres/Action/")
    page.select_option("select[name=sort]", "title")
    page.fill("input[name=year_min]", "1980")
    page.click(".browse button[type=submit]")
    page.wait_for_url("**/genres/Action/?*sort=title*")
    titles = card_titles(page)
    assert titles and "Star Wars" not in titles  # 1977: before the range
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots / "genre-phone.png"), full_page=False)
    page.select_option("select[name=sort]", "predicted")
    page.click(".browse button[type=submit]")
    page.wait_for_url("**sort=predicted**")
    predicted = [float(text.split("about ")[1].split(" ")[0]) for text in
                 page.locator(".card-predicted").all_inner_texts()]
    assert predicted == sorted(predicted, reverse=True) and len(predicted) >= 3
    context.close()


def test_my_ratings_sorted_on_a_desktop(page, shots) -> None:
    rated_account(page, "ola")
    page.goto("/my/ratings/?sort=your_stars")
    assert card_titles(page) == ["Toy Story", "Aladdin", "Heat"]
    assert page.locator(".card-dated").count() == 3
    page.screenshot(path=str(shots / "my-ratings.png"))


@pytest.mark.parametrize(("path", "shot"), [
    ("/for-you/", "for-you-phone.png"),
    ("/my/ratings/", "my-ratings-phone.png"),
    ("/my/watchlist/", "watchlist-phone.png"),
    ("/my/hidden/", "hidden-phone.png"),
    ("/my/ratings/import/", "import-phone.png"),
    ("/accounts/password/", "password-phone.png"),
    ("/accounts/delete/", "delete-account-phone.png"),
    ("/accounts/privacy/", "privacy-phone.png"),
])
def test_the_new_pages_fit_a_phone(browser, live_server, shots, path: str, shot: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    rated_account(page, f"phone{abs(hash(path)) % 10_000}")
    page.goto("/genres/Horror/")
    page.locator(".card").first.get_by_role("button", name="+ Watchlist").click()
    page.locator(".card").nth(1).get_by_role("button", name="Not interested").click()
    page.goto(path)
    assert page.locator("main h1").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.screenshot(path=str(shots / shot))
    context.close()
