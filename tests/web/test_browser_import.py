"""Importing a Letterboxd export in a real browser: upload, check the uncertain match, confirm,
read the report, at desktop and at phone width. Fixtures as in test_browser.

Set MOVIEREC_SCREENSHOTS=some/folder to keep the screenshots of the report.
"""

from datetime import UTC, datetime

import pytest

from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_set

from .browser_session import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXPORT = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-02-01,Heat,1995,https://boxd.it/a1,4.5\n"
    "2024-02-02,The Usual Suspects,1995,https://boxd.it/a2,5\n"
    "2024-02-03,Scream,1997,https://boxd.it/a3,2\n"
    "2024-02-04,Fargo,1996,https://boxd.it/a4,4\n"
    "2024-02-05,Star Wars,1977,https://boxd.it/a5,3\n"
    "2024-02-06,Amélie,2001,https://boxd.it/a6,5\n"
    "2024-02-07,Casablanca,1942,https://boxd.it/a7,4\n"
    "2024-02-08,Blade,1982,https://boxd.it/a8,3.5\n"
    "2024-02-09,A Film Nobody Made,2011,https://boxd.it/a9,3\n"
    "2024-02-10,Psycho,1960,https://boxd.it/b1,ten\n"
).encode()


def test_import_a_letterboxd_export_with_a_confirmation(page, account, browser, shots):
    rating_set(user=account, movie_id=9, stars=5)  # Star Wars, rated here after the file's date
    rating_set(user=account, movie_id=18, stars=2)  # Casablanca, rated here before it
    Rating.objects.filter(movie_id=18).update(updated=datetime(2023, 6, 1, tzinfo=UTC))
    log_in(page)
    page.goto("/my/ratings/")
    page.click("text=Import ratings")
    page.set_input_files(
        "#id_file", {"name": "ratings.csv", "mimeType": "text/csv", "buffer": EXPORT}
    )
    page.click("main button[type=submit]")
    page.wait_for_url("**/my/ratings/import/confirm/")
    assert not Rating.objects.filter(movie_id=3).exists(), "nothing saved before confirming"
    assert "6 sure matches, 2 to check, 2 lines" in page.inner_text("main")
    page.check("text=Scream (1996)")
    page.screenshot(path=str(shots / "import-confirm.png"), full_page=True)
    page.click("button[name=confirm]")
    page.wait_for_url("**/my/ratings/import/report/")

    summary = page.inner_text("#import-summary")
    assert summary == "5 imported · 1 updated · 1 already rated, kept · 3 not imported"
    assert "Scream (1996)" in page.inner_text("#imported")
    assert "Casablanca (1942)" in page.inner_text("#updated")
    assert "yours is newer" in page.inner_text("#kept")
    assert "skipped: the title matches only in part" in page.inner_text("#not-imported")
    assert dict(account.ratings.values_list("movie_id", "stars")) == {
        3: 5, 6: 5, 23: 2, 16: 4, 9: 5, 33: 5, 18: 4,
    }
    page.screenshot(path=str(shots / "import-report.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 375, "height": 812},
                                base_url=page.url.split("/my/")[0])
    phone.add_cookies(page.context.cookies())
    phone_page = phone.new_page()
    phone_page.goto("/my/ratings/import/report/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.screenshot(path=str(shots / "import-report-phone.png"), full_page=True)
    phone.close()
