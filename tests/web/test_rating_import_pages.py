"""The import pages (upload -> confirm -> report), the import API, and exporting one's ratings
as CSV, on the synthetic model (Heat is movie 3, IMDb id 100002)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_set

pytestmark = pytest.mark.django_db

LETTERBOXD = (
    b"Date,Name,Year,Letterboxd URI,Rating\n"
    b"2024-01-02,Heat,1995,https://boxd.it/a1,4\n"
    b"2024-01-03,Scream,1997,https://boxd.it/a3,2\n"
    b"2024-01-05,A Film Nobody Made,2011,https://boxd.it/a4,3\n"
)


def upload(client, data: bytes, name: str = "ratings.csv"):
    return client.post("/my/ratings/import/", {"file": SimpleUploadedFile(name, data)})


def test_upload_confirm_report(signed_in, account):
    response = upload(signed_in, LETTERBOXD)
    assert response.status_code == 302 and response.url == "/my/ratings/import/confirm/"
    assert not Rating.objects.exists(), "nothing is written before the confirmation"

    page = signed_in.get("/my/ratings/import/confirm/").content.decode()
    assert "1 sure match" in page and "1 to check" in page
    assert "the title matches, the year differs by one" in page
    assert 'name="line-3" value="23"' in page  # Scream (1996), a year off
    assert "no film of this model is called A Film Nobody Made (2011)" in page

    response = signed_in.post("/my/ratings/import/confirm/", {"line-3": "23"})
    assert response.status_code == 302 and response.url == "/my/ratings/import/report/"
    assert dict(account.ratings.values_list("movie_id", "stars")) == {3: 4, 23: 2}

    report = signed_in.get("/my/ratings/import/report/").content.decode()
    assert "2 imported · 0 updated · 0 already rated, kept · 1 not imported" in report
    assert "Heat (1995)" in report and "Scream (1996)" in report
    # The pending import is gone: confirming again imports nothing twice.
    again = signed_in.post("/my/ratings/import/confirm/", {"line-3": "23"})
    assert again.url == "/my/ratings/import/"


def test_an_uncertain_line_left_alone_is_skipped(signed_in, account):
    upload(signed_in, LETTERBOXD)
    signed_in.post("/my/ratings/import/confirm/", {})
    assert list(account.ratings.values_list("movie_id", flat=True)) == [3]
    report = signed_in.get("/my/ratings/import/report/").content.decode()
    assert "skipped: the title matches, the year differs by one" in report


def test_cancel_writes_nothing(signed_in):
    upload(signed_in, LETTERBOXD)
    response = signed_in.post("/my/ratings/import/confirm/", {"cancel": "1", "line-3": "23"})
    assert response.url == "/my/ratings/"
    assert not Rating.objects.exists()


def test_a_tampered_choice_writes_nothing(signed_in):
    upload(signed_in, LETTERBOXD)
    response = signed_in.post("/my/ratings/import/confirm/", {"line-3": "1"}, follow=True)
    assert "line 3: movie 1 is not one of its candidates" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV text file"),
        (b"a,b\n1,2\n", "are not those of any export this site reads"),
        (b"Name,Year,Rating\n\xff\xfe,1995,4\n", "not UTF-8 text"),
    ],
)
def test_bad_files_get_a_message_on_the_form(signed_in, data, message):
    response = upload(signed_in, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "ratings_import_plan" not in signed_in.session


def test_posting_no_file_asks_for_one(signed_in):
    response = signed_in.post("/my/ratings/import/", {})
    assert response.status_code == 200 and "Choose a file to import." in response.content.decode()


def test_import_pages_need_an_account(client):
    assert client.get("/my/ratings/import/").url.startswith("/accounts/login/")
    assert client.get("/my/ratings/export.csv").url.startswith("/accounts/login/")


def test_my_ratings_links_to_import_and_export(signed_in):
    page = signed_in.get("/my/ratings/").content.decode()
    assert 'href="/my/ratings/import/"' in page and 'href="/my/ratings/export.csv"' in page


def test_export_lists_my_ratings_only(signed_in, account, django_user_model):
    rating_set(user=account, movie_id=3, stars=4)
    other = django_user_model.objects.create_user(username="bo", password="another pass 9")
    rating_set(user=other, movie_id=1, stars=2)
    response = signed_in.get("/my/ratings/export.csv")
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["movie_id", "title", "year", "imdb_id", "stars", "date_rated"]
    day = account.ratings.get().updated.date().isoformat()
    assert rows[1:] == [["3", "Heat", "1995", "tt0100002", "4", day]]


def test_the_api_plans_then_confirms(signed_in, account):
    file = SimpleUploadedFile("ratings.csv", LETTERBOXD)
    response = signed_in.post("/api/me/imports", {"file": file})
    assert response.status_code == 200
    plan = response.json()
    assert [entry["movie_id"] for entry in plan["sure"]] == [3]
    assert plan["uncertain"][0]["candidates"][0] == {"movie_id": 23, "label": "Scream (1996)"}
    assert plan["skipped"][0]["line"] == 4
    assert not Rating.objects.exists()

    response = signed_in.post(
        "/api/me/imports/confirm", {"choices": {"3": 23}}, content_type="application/json"
    )
    assert response.status_code == 200
    report = response.json()
    assert [entry["film"] for entry in report["imported"]] == ["Heat (1995)", "Scream (1996)"]
    assert dict(account.ratings.values_list("movie_id", "stars")) == {3: 4, 23: 2}
    again = signed_in.post("/api/me/imports/confirm", {}, content_type="application/json")
    assert again.status_code == 400 and "no import is waiting" in again.json()["detail"]


def test_the_api_refuses_a_bad_file_and_a_bad_choice(signed_in):
    response = signed_in.post("/api/me/imports", {"file": SimpleUploadedFile("x.csv", b"a,b\n")})
    assert response.status_code == 400
    assert "are not those of any export" in response.json()["detail"]
    signed_in.post("/api/me/imports", {"file": SimpleUploadedFile("r.csv", LETTERBOXD)})
    response = signed_in.post(
        "/api/me/imports/confirm", {"choices": {"3": 9}}, content_type="application/json"
    )
    assert response.status_code == 400 and "not one of its candidates" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_the_api_exports_csv(signed_in, account):
    rating_set(user=account, movie_id=9, stars=5)
    response = signed_in.get("/api/me/ratings.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert response.content.decode().splitlines()[1].startswith("9,Star Wars,1977,tt0100008,5,")


def test_the_import_api_needs_a_session(client):
    file = SimpleUploadedFile("ratings.csv", LETTERBOXD)
    assert client.post("/api/me/imports", {"file": file}).status_code == 401
    assert client.get("/api/me/ratings.csv").status_code == 401
