"""Reasons as the site words them ("you", or "this viewer" on a dataset user's page), the API's
reason in words and as data, and lists that ask for more than the catalogue holds."""

from typing import get_args

import pytest

from movierec.engine import Reason, ReasonKind
from movierec_site.catalog.reasons import reason_text

pytestmark = pytest.mark.django_db

HEAT = {"movie_id": 6, "title": "Heat"}


@pytest.mark.parametrize(
    ("reason", "yours", "theirs"),
    [
        (Reason("rated_it", stars=4.5), "you rated it 4.5 stars", "this viewer rated it 4.5 stars"),
        (Reason("rated_similar", **HEAT, stars=5.0), "because you rated Heat 5 stars",
         "because this viewer rated Heat 5 stars"),
        (Reason("predicted", stars=3.96), "predicted 4.0 stars for you",
         "predicted 4.0 stars for this viewer"),
        (Reason("similar_to", **HEAT, genres=("Action",)), "similar to Heat: Action",
         "similar to Heat: Action"),
        (Reason("audience_liked", **HEAT, stars=4.0, count=31, audience=50),
         "the model's pick for the 50 viewers who like Heat most; 31 of them liked it",
         "the model's pick for the 50 viewers who like Heat most; 31 of them liked it"),
        (Reason("popular_with", group="women"), "popular with women", "popular with women"),
        (Reason("highly_rated", stars=4.25, count=1), "highly rated: 4.2 stars from 1 rating",
         "highly rated: 4.2 stars from 1 rating"),
    ],
)
def test_reason_wording(reason: Reason, yours: str, theirs: str) -> None:
    assert reason_text(reason) == yours
    assert reason_text(reason, about_someone_else=True) == theirs


@pytest.mark.parametrize("kind", get_args(ReasonKind))
def test_every_kind_of_reason_has_words(kind: str) -> None:
    reason = Reason(
        kind,  # type: ignore[arg-type]
        movie_id=6, title="Heat", stars=4.0, count=3, audience=50, genres=("Action",),
        group="women",
    )
    assert reason_text(reason) and reason_text(reason, about_someone_else=True)


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
