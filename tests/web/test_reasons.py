"""Reasons as the site words them ("you", or "this viewer" on a dataset user's page), the API's
reason in words and as data, and lists that ask for more than the catalogue holds."""

from typing import get_args

import pytest

from movierec.engine import Reason, ReasonKind
from movierec_site.catalog.reasons import reason_text

pytestmark = pytest.mark.django_db

HEAT = {"movie_id": 6, "title": "Heat"}


def test_the_site_speaks_to_you_or_of_this_viewer():
    reason = Reason("rated_similar", **HEAT, stars=5.0)
    assert reason_text(reason) == "because you rated Heat 5 stars"
    assert reason_text(reason, about_someone_else=True) == "because this viewer rated Heat 5 stars"


def test_a_dataset_users_page_speaks_of_this_viewer(client):
    response = client.get("/users/1/")
    assert "because this viewer rated" in response.content.decode()
    reasons = [card.reason for card in response.context["picks"]]
    assert reasons and not any("you" in reason.split() for reason in reasons)


def test_the_api_gives_the_reason_in_words_and_as_data(client):
    for url in ("/api/movies/1/similar", "/api/movies/1/also-liked",
                "/api/users/1/recommendations"):
        items = client.get(url, {"n": 5}).json()
        assert items
        for item in items:
            detail = item["reason_detail"]
            assert detail["kind"] in get_args(ReasonKind)
            reason = Reason(**{**detail, "genres": tuple(detail["genres"])})
            about_someone_else = url.startswith("/api/users/")
            assert item["reason"] == reason_text(reason, about_someone_else=about_someone_else)


def test_also_liked_says_whom_the_list_is_for(client):
    items = client.get("/api/movies/1/also-liked", {"n": 5}).json()
    assert all(item["reason_detail"]["kind"] == "audience_liked" for item in items)
    assert all("viewers who like Toy Story most" in item["reason"] for item in items)


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/movies/1/similar", {}),
        ("/api/movies/1/also-liked", {}),
        ("/api/users/1/recommendations", {}),
        ("/api/movies/search", {"q": "the"}),
    ],
)
def test_asking_for_more_than_there_is_gives_what_there_is(client, url, query):
    # The synthetic catalogue holds 50 movies; the API allows up to 100.
    response = client.get(url, {**query, "n": 100})
    assert response.status_code == 200
    assert 0 < len(response.json()) < 50
