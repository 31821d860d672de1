"""Hiding a movie and the watchlist: every list leaves a hidden movie out at once, the hidden
page undoes it, the watchlist loses a movie when it is rated; the same through the API; and
the stars the model predicts for the account, beside the dataset's average."""

import re

import pytest

from movierec.engine import Recommender
from movierec_site.lists.models import HiddenMovie, WatchlistEntry
from movierec_site.ratings.models import Rating
from movierec_site.recommendations.selectors import account_recommendation_list
from movierec_site.serving.engine import current_engine

pytestmark = pytest.mark.django_db

HEAT, TOY_STORY, LION_KING, ALADDIN = 3, 1, 13, 41


def movie_ids_in(html: str) -> list[int]:
    """The movies a page's cards link to, in order."""
    return [int(found) for found in re.findall(r'class="card-link" href="/movies/(\d+)/"', html)]


def test_a_hidden_movie_leaves_every_list_at_once_and_the_hidden_page_undoes_it(
        signed_in, account) -> None:
    Rating.objects.create(user=account, movie_id=TOY_STORY, stars=5)
    first = account_recommendation_list(user=account, n=1)[0].movie_id
    popular = movie_ids_in(signed_in.get("/").content.decode())
    similar_page = signed_in.get(f"/movies/{LION_KING}/").content.decode()
    similar = movie_ids_in(similar_page)[0]
    for movie in {first, popular[0], similar}:
        response = signed_in.post(f"/movies/{movie}/hide/", {"next": "/"})
        assert response.status_code == 302 and response["Location"] == "/"
    hidden = {first, popular[0], similar}
    assert not hidden & {pick.movie_id for pick in account_recommendation_list(user=account, n=40)}
    for page in ("/", "/for-you/", f"/movies/{LION_KING}/", "/genres/Comedy/",
                 "/genres/Action/?sort=title", "/genres/Animation/?sort=most_rated"):
        assert not hidden & set(movie_ids_in(signed_in.get(page).content.decode())), page
    listed = movie_ids_in(signed_in.get("/my/hidden/").content.decode())
    assert set(listed) == hidden
    signed_in.post(f"/movies/{similar}/hide/", {"undo": "1"})
    assert similar in movie_ids_in(signed_in.get(f"/movies/{LION_KING}/").content.decode())
    assert set(HiddenMovie.objects.values_list("movie_id", flat=True)) == hidden - {similar}


def test_search_still_finds_a_hidden_movie_and_offers_to_unhide_it(signed_in) -> None:
    signed_in.post(f"/movies/{HEAT}/hide/")
    html = signed_in.get("/search/?q=heat").content.decode()
    assert HEAT in movie_ids_in(html) and "Unhide" in html


def test_the_watchlist_keeps_what_is_added_until_it_is_rated(signed_in, account) -> None:
    for movie in (HEAT, ALADDIN, HEAT):
        assert signed_in.post(f"/movies/{movie}/watchlist/").status_code == 302
    html = signed_in.get("/my/watchlist/").content.decode()
    assert movie_ids_in(html) == [ALADDIN, HEAT]  # newest first, Heat once
    assert "✓ Watchlist" in signed_in.get(f"/movies/{HEAT}/").content.decode()
    signed_in.post(f"/movies/{HEAT}/rate/", {"stars": "4"})
    assert movie_ids_in(signed_in.get("/my/watchlist/").content.decode()) == [ALADDIN]
    signed_in.post(f"/movies/{ALADDIN}/watchlist/", {"remove": "1"})
    assert not WatchlistEntry.objects.exists()


def test_hiding_takes_a_movie_off_the_watchlist_and_adding_it_unhides_it(signed_in) -> None:
    signed_in.post(f"/movies/{HEAT}/watchlist/")
    signed_in.post(f"/movies/{HEAT}/hide/")
    assert not WatchlistEntry.objects.exists() and HiddenMovie.objects.count() == 1
    signed_in.post(f"/movies/{HEAT}/watchlist/")
    assert WatchlistEntry.objects.count() == 1 and not HiddenMovie.objects.exists()


def test_marks_need_an_account_and_a_known_movie(client, signed_in) -> None:
    from django.test import Client

    anonymous = Client()
    assert anonymous.post(f"/movies/{HEAT}/hide/").status_code == 302  # to the login page
    assert not HiddenMovie.objects.exists()
    assert signed_in.post("/movies/999999/hide/").status_code == 404
    assert signed_in.get(f"/movies/{HEAT}/hide/").status_code == 405
    # Back only to this site, never elsewhere.
    response = signed_in.post(f"/movies/{HEAT}/watchlist/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/movies/{HEAT}/"


def test_the_api_reads_and_writes_both_lists(signed_in, account) -> None:
    assert signed_in.put(f"/api/me/hidden/{HEAT}").status_code == 204
    assert signed_in.put(f"/api/me/hidden/{HEAT}").status_code == 204  # twice is once
    assert signed_in.put(f"/api/me/watchlist/{ALADDIN}").status_code == 204
    hidden = signed_in.get("/api/me/hidden").json()
    assert [(entry["movie_id"], entry["title"]) for entry in hidden] == [(HEAT, "Heat")]
    assert [entry["movie_id"] for entry in signed_in.get("/api/me/watchlist").json()] == [
        ALADDIN]
    mine = signed_in.get("/api/me/recommendations?n=49").json()
    assert HEAT not in {pick["movie_id"] for pick in mine}
    assert signed_in.delete(f"/api/me/hidden/{HEAT}").status_code == 204
    assert signed_in.delete(f"/api/me/hidden/{HEAT}").json() == {
        "detail": f"movie {HEAT} is not hidden"}
    assert signed_in.put("/api/me/watchlist/999999").status_code == 404
    from django.test import Client

    assert Client().get("/api/me/watchlist").status_code == 401


def test_marks_of_another_datasets_model_do_not_hide_the_films_its_ids_name_now(
        signed_in, account) -> None:
    HiddenMovie.objects.create(user=account, movie_id=HEAT, dataset="another-release",
                               title="Some Other Film")
    assert HEAT in {pick.movie_id for pick in account_recommendation_list(user=account, n=50)}


def test_cards_show_the_stars_predicted_for_the_account_and_the_average(
        signed_in, account) -> None:
    html = signed_in.get(f"/movies/{LION_KING}/").content.decode()
    assert "You'd rate it about" not in html  # no ratings yet: no guess about the account
    assert re.search(r"avg \d\.\d · \d+ ratings?", html)
    for movie, stars in ((TOY_STORY, 5), (ALADDIN, 5), (HEAT, 1)):
        Rating.objects.create(user=account, movie_id=movie, stars=stars)
    engine: Recommender = current_engine()
    ratings = {TOY_STORY: 5.0, ALADDIN: 5.0, HEAT: 1.0}
    expected = engine.predicted_stars([LION_KING], ratings=ratings)[LION_KING]
    html = signed_in.get(f"/movies/{LION_KING}/").content.decode()
    assert f"You'd rate it about <strong>{expected:.1f}</strong>" in html
    cards = signed_in.get("/genres/Animation/?sort=predicted").content.decode()
    assert cards.count("You'd rate it about") >= 3
