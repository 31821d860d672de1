"""The JSON API through Django's test client: reads, the account's ratings, errors, CSRF."""

import json
import re

import pytest
from django.test import Client

from movierec_site.ratings.models import Rating

pytestmark = pytest.mark.django_db


def test_movie_list_is_by_number_of_ratings_and_filters(client):
    movies = client.get("/api/movies", {"limit": 5}).json()
    assert len(movies) == 5
    counts = [movie["ratings"] for movie in movies]
    assert counts == sorted(counts, reverse=True)
    assert {"movie_id", "title", "year", "genres", "poster_url", "url"} <= movies[0].keys()
    horror = client.get("/api/movies", {"genre": "horror", "limit": 100}).json()
    assert horror and all("Horror" in movie["genres"] for movie in horror)
    old = client.get("/api/movies", {"year_max": 1960, "limit": 100}).json()
    assert old and all(movie["year"] <= 1960 for movie in old)
    page_two = client.get("/api/movies", {"limit": 5, "offset": 5}).json()
    assert {m["movie_id"] for m in page_two}.isdisjoint(m["movie_id"] for m in movies)


def test_movie_search_forgives_typos(client):
    hits = client.get("/api/movies/search", {"q": "matirx"}).json()
    assert hits[0]["title"] == "The Matrix"
    assert client.get("/api/movies/search", {"q": "zzqqxx"}).json() == []


def test_movie_detail(client):
    movie = client.get("/api/movies/19").json()
    assert movie["title"] == "The Matrix" and movie["year"] == 1999
    assert movie["tmdb_id"] == 603 and movie["imdb_id"] == 100018
    assert movie["url"] == "/movies/19/"


def test_similar_and_also_liked_never_return_the_movie_itself(client):
    for kind in ("similar", "also-liked"):
        items = client.get(f"/api/movies/1/{kind}", {"n": 5}).json()
        assert len(items) == 5
        assert 1 not in [item["movie_id"] for item in items]
        assert all(item["reason"] for item in items)


def test_similar_movies_of_an_animated_film_are_mostly_animated_or_for_children(client):
    items = client.get("/api/movies/1/similar", {"n": 4}).json()
    assert sum(bool({"Animation", "Children's"} & set(i["genres"])) for i in items) >= 3


def test_recommendations_for_a_dataset_user_skip_what_they_rated(client):
    items = client.get("/api/users/1/recommendations", {"n": 10}).json()
    assert len(items) == 10
    assert all(isinstance(item["predicted_rating"], float) for item in items)


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/movies/99999", 404, "no movie with id 99999"),
        ("/api/movies/99999/similar", 404, "no movie with id 99999"),
        ("/api/users/99999/recommendations", 404, "no user with id 99999"),
        ("/api/movies?genre=Polka", 404, "no genre called 'Polka'"),
        ("/api/movies/1/similar?n=0", 400, "n"),
        ("/api/movies/1/similar?n=abc", 400, "n"),
        ("/api/movies/0", 400, "movie_id"),
        ("/api/movies/search", 400, "q"),
        ("/api/movies?limit=1000", 400, "limit"),
    ],
)
def test_bad_input_is_a_4xx_with_a_message(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_my_endpoints_need_a_session(client):
    assert client.get("/api/me/ratings").status_code == 401
    assert client.get("/api/me/recommendations").status_code == 401
    response = client.put("/api/me/ratings/1", {"stars": 4}, content_type="application/json")
    assert response.status_code == 401


def test_my_ratings_create_read_update_delete(signed_in, account):
    created = signed_in.post(
        "/api/me/ratings", {"movie_id": 9, "stars": 5}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["stars"] == 5
    again = signed_in.post(
        "/api/me/ratings", {"movie_id": 9, "stars": 2}, content_type="application/json"
    )
    assert again.status_code == 409
    assert signed_in.get("/api/me/ratings/9").json()["stars"] == 5
    updated = signed_in.put("/api/me/ratings/9", {"stars": 3}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["stars"] == 3
    assert [r["movie_id"] for r in signed_in.get("/api/me/ratings").json()] == [9]
    assert signed_in.delete("/api/me/ratings/9").status_code == 204
    assert signed_in.delete("/api/me/ratings/9").status_code == 404
    assert signed_in.get("/api/me/ratings/9").status_code == 404
    assert not Rating.objects.filter(user=account).exists()


def test_put_creates_a_rating_too(signed_in, account):
    response = signed_in.put("/api/me/ratings/4", {"stars": 4}, content_type="application/json")
    assert response.status_code == 200
    assert Rating.objects.get(user=account, movie_id=4).stars == 4


@pytest.mark.parametrize("stars", [0, 6, 3.5, -1, "four", None, True])
def test_invalid_stars_are_a_400_with_a_message(signed_in, stars):
    response = signed_in.put(
        "/api/me/ratings/4", json.dumps({"stars": stars}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "stars" in response.json()["detail"]


def test_half_stars_where_the_release_uses_them(signed_in, half_star_model):
    ok = signed_in.put("/api/me/ratings/4", {"stars": 3.5}, content_type="application/json")
    assert ok.status_code == 200
    bad = signed_in.put("/api/me/ratings/4", {"stars": 3.25}, content_type="application/json")
    assert bad.status_code == 400 and "multiple of 0.5" in bad.json()["detail"]


def test_whole_star_releases_refuse_half_stars(signed_in):
    response = signed_in.put("/api/me/ratings/4", {"stars": 3.5}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "stars must be 1 to 5 (in steps of 1), not 3.5"


def test_rating_an_unknown_movie_is_a_404(signed_in):
    response = signed_in.put("/api/me/ratings/5000", {"stars": 4}, content_type="application/json")
    assert response.status_code == 404


def test_malformed_json_is_a_400(signed_in):
    response = signed_in.put("/api/me/ratings/4", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_my_recommendations_follow_my_ratings(signed_in):
    before = [item["movie_id"] for item in signed_in.get("/api/me/recommendations").json()]
    signed_in.put("/api/me/ratings/21", {"stars": 5}, content_type="application/json")  # Shining
    signed_in.put("/api/me/ratings/23", {"stars": 5}, content_type="application/json")  # Scream
    after = signed_in.get("/api/me/recommendations", {"n": 3}).json()
    assert [item["movie_id"] for item in after] != before[:3]
    assert any("Horror" in item["genres"] for item in after)
    assert {21, 23}.isdisjoint(item["movie_id"] for item in after)


class TestCsrf:
    """Every state-changing request needs the CSRF token, in the API and in the forms."""

    @pytest.fixture
    def strict(self, account) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(account)
        return client

    def _token(self, client: Client) -> str:
        client.get("/movies/1/")
        return client.cookies["csrftoken"].value

    def test_api_writes_without_the_token_are_refused(self, strict):
        for method, url, body in (
            ("put", "/api/me/ratings/1", {"stars": 4}),
            ("post", "/api/me/ratings", {"movie_id": 1, "stars": 4}),
            ("delete", "/api/me/ratings/1", None),
        ):
            response = getattr(strict, method)(url, body, content_type="application/json")
            assert response.status_code == 403, (method, url)
        assert not Rating.objects.exists()

    def test_api_writes_with_the_token_work(self, strict, account):
        token = self._token(strict)
        response = strict.put(
            "/api/me/ratings/1",
            {"stars": 4},
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200
        assert Rating.objects.get(user=account).stars == 4

    def test_api_reads_need_no_token(self, strict):
        assert strict.get("/api/me/ratings").status_code == 200

    def test_forms_without_the_token_are_refused(self, strict):
        assert strict.post("/movies/1/rate/", {"stars": "4"}).status_code == 403
        assert strict.post("/accounts/logout/").status_code == 403
        anonymous = Client(enforce_csrf_checks=True)
        assert (
            anonymous.post("/accounts/login/", {"username": "a", "password": "b"}).status_code
            == 403
        )
        assert anonymous.post("/accounts/signup/", {"username": "a"}).status_code == 403

    def test_form_with_the_token_works(self, strict, account):
        token = self._token(strict)
        response = strict.post("/movies/1/rate/", {"stars": "4", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert Rating.objects.get(user=account).stars == 4


def test_api_docs_are_served_without_a_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    # Every script, style and link is the site's own: no address elsewhere, no CDN. (Only the
    # addresses are read: the page's random CSRF token may spell anything.)
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert addresses and all(address.startswith("/") and not address.startswith("//")
                             for address in addresses), addresses
    assert not any("cdn" in address.lower() for address in addresses)
    assert 'data-csrf-token="' in html and 'data-csrf-token=""' not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_openapi_schema_lists_every_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/movies",
        "/api/movies/search",
        "/api/movies/{movie_id}",
        "/api/movies/{movie_id}/similar",
        "/api/movies/{movie_id}/also-liked",
        "/api/users/{user_id}/recommendations",
        "/api/me/recommendations",
        "/api/me/ratings",
        "/api/me/ratings/{movie_id}",
        "/api/healthz",
        "/api/readyz",
    ):
        assert path in paths, path


def test_readiness_shows_folder_paths_to_staff_only(client, django_user_model, model_dir):
    for url in ("/api/readyz", "/readyz"):
        anonymous = client.get(url)
        assert anonymous.status_code == 200 and anonymous.json()["model"]["path"] is None
        assert str(model_dir) not in anonymous.content.decode()
    client.force_login(django_user_model.objects.create_user("ops", is_staff=True))
    assert client.get("/api/readyz").json()["model"]["path"] == str(model_dir)


def test_an_oversized_body_is_a_json_400(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"stars": 4, "padding": "x" * 2000})
    for method, url in (("put", "/api/me/ratings/4"), ("post", "/api/me/ratings")):
        response = getattr(signed_in, method)(url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert "too large" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_stars_a_hair_off_a_step_are_refused_by_the_api_and_the_form(signed_in):
    off_step = 3.0000000001
    put = signed_in.put(
        "/api/me/ratings/4", json.dumps({"stars": off_step}), content_type="application/json"
    )
    post = signed_in.post(
        "/api/me/ratings",
        json.dumps({"movie_id": 4, "stars": off_step}),
        content_type="application/json",
    )
    for response in (put, post):
        assert response.status_code == 400 and "stars" in response.json()["detail"]
    assert signed_in.post("/movies/4/rate/", {"stars": repr(off_step)}).status_code == 400
    assert not Rating.objects.exists()
