"""Every page, anonymous and signed in, through Django's test client."""

import pytest
from django.urls import reverse

from movierec_site.ratings.models import Rating

pytestmark = pytest.mark.django_db


def test_home_shows_search_and_rows(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html
    for row in ("Popular", "Top rated", "Best of "):
        assert row in html
    assert "/movies/1/" in html
    assert "/posters/" in html


def test_home_has_a_for_you_row_once_the_account_rated(signed_in, account):
    assert (
        "For you"
        not in signed_in.get("/").content.decode().split("<main", 1)[1].split("Popular")[0]
    )
    Rating.objects.create(user=account, movie_id=1, stars=5)
    main = signed_in.get("/").content.decode().split("<main", 1)[1]
    assert main.index("For you") < main.index("Popular")


@pytest.mark.parametrize(("query", "shown"), [
    ({"q": "toy stroy"}, "Toy Story"),  # a typo still finds the title
    ({}, "Type part of a title"),  # no query: the page asks for one
    ({"q": "zzqqxx"}, "No movie matches"),  # no match: the page says so
])
def test_search_page(client, query, shown):
    response = client.get("/search/", query)
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_movie_page_shows_details_similar_and_also_liked(client):
    response = client.get("/movies/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Toy Story" in html and "(1995)" in html
    assert "Similar movies" in html and "Viewers who liked it also liked" in html
    assert "average from" in html
    bars = response.context["detail"].histogram
    assert [stars for stars, _, _ in bars] == [5, 4, 3, 2, 1]
    assert sum(count for _, count, _ in bars) == response.context["detail"].movie.ratings
    assert "Log in</a> to rate" in html
    assert 'href="/movies/1/"' not in html.split("Similar movies", 1)[1], (
        "a movie is never its own neighbour"
    )
    assert "https://www.imdb.com/title/tt0100000/" in html


def test_movie_page_signed_in_shows_the_rating_widget_with_the_current_stars(signed_in, account):
    Rating.objects.create(user=account, movie_id=1, stars=4)
    html = signed_in.get("/movies/1/").content.decode()
    assert 'data-movie="1"' in html and 'data-stars="4"' in html
    assert html.count('class="star on"') == 4


def test_half_star_release_offers_half_stars(signed_in, half_star_model):
    html = signed_in.get("/movies/1/").content.decode()
    assert "stars-halves" in html
    assert 'value="0.5"' in html and 'value="4.5"' in html


def test_unknown_movie_is_a_404_page(client):
    response = client.get("/movies/999999/")
    assert response.status_code == 404
    assert "no movie with id 999999" in response.content.decode()


def test_absurdly_long_id_is_a_plain_404(client):
    assert client.get("/movies/" + "9" * 40 + "/").status_code == 404


def test_genre_page_and_unknown_genre(client):
    assert "<h1>Comedy</h1>" in client.get("/genres/Comedy/").content.decode()
    assert client.get("/genres/comedy/").status_code == 200
    assert client.get("/genres/Polka/").status_code == 404


def test_for_you_anonymous_invites_to_sign_up(client):
    response = client.get("/for-you/")
    assert response.status_code == 200
    assert reverse("accounts:signup") in response.content.decode()


def test_for_you_changes_with_each_rating(signed_in, account):
    before = signed_in.get("/for-you/list/").content.decode()
    assert "Popular, well-rated movies to start with" in before
    Rating.objects.create(user=account, movie_id=20, stars=5)  # Alien
    after_one = signed_in.get("/for-you/list/").content.decode()
    assert "From your 1 rating" in after_one
    Rating.objects.create(user=account, movie_id=28, stars=5)  # Airplane!
    after_two = signed_in.get("/for-you/list/").content.decode()
    assert after_two != after_one


def test_for_you_page_lists_recommendations_and_more_to_rate(signed_in, account):
    Rating.objects.create(user=account, movie_id=1, stars=5)
    html = signed_in.get("/for-you/").content.decode()
    assert "because you rated Toy Story 5 stars" in html
    assert "Rate a few more" in html


def test_welcome_offers_well_known_movies_over_several_genres(signed_in):
    response = signed_in.get("/welcome/")
    assert response.status_code == 200
    cards = response.context["to_rate"]
    assert len(cards) == 16
    assert len({card.genres[0] for card in cards}) >= 4


def test_personal_pages_need_an_account(client):
    for url in ("/welcome/", "/my/ratings/", "/for-you/list/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_my_ratings_lists_them_newest_first(signed_in, account):
    Rating.objects.create(user=account, movie_id=3, stars=4)
    Rating.objects.create(user=account, movie_id=9, stars=5)
    response = signed_in.get("/my/ratings/")
    titles = [card.title for card in response.context["cards"]]
    assert titles == ["Star Wars", "Heat"]


def test_rate_form_without_javascript_sets_and_removes(signed_in, account):
    response = signed_in.post("/movies/3/rate/", {"stars": "4", "next": "/movies/3/"})
    assert response.status_code == 302 and response["Location"] == "/movies/3/"
    assert Rating.objects.get(user=account, movie_id=3).stars == 4
    signed_in.post("/movies/3/rate/", {"remove": "1"})
    assert not Rating.objects.filter(user=account).exists()


def test_rate_form_refuses_bad_stars_with_a_400_and_a_message(signed_in):
    response = signed_in.post("/movies/3/rate/", {"stars": "7"})
    assert response.status_code == 400
    assert "stars must be 1 to 5" in response.content.decode()
    assert signed_in.post("/movies/3/rate/", {"stars": "lots"}).status_code == 400
    assert signed_in.post("/movies/3/rate/", {}).status_code == 400


def test_rate_form_never_redirects_off_site(signed_in):
    response = signed_in.post("/movies/3/rate/", {"stars": "4", "next": "https://evil.example/"})
    assert response["Location"] == "/movies/3/"


def test_demo_profiles_and_a_dataset_user(client):
    html = client.get("/users/").content.decode()
    assert "/users/" in html and "User " in html
    response = client.get("/users/1/")
    assert response.status_code == 200
    assert "The model recommends" in response.content.decode()
    rated = {card.movie_id for card, _ in response.context["rated"]}
    assert rated.isdisjoint(card.movie_id for card in response.context["picks"])
    assert client.get("/users/", {"id": "2"})["Location"] == "/users/2/"
    assert client.get("/users/4000/").status_code == 404


def test_generated_poster_is_an_svg_with_title_and_year(client):
    response = client.get("/posters/33.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert "Amelie" in body and "2001" in body
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get("/posters/999.svg").status_code == 404


def test_admin_lists_ratings_for_staff(client, django_user_model, account):
    admin = django_user_model.objects.create_superuser("boss", password="x" * 12)
    Rating.objects.create(user=account, movie_id=1, stars=5)
    client.force_login(admin)
    assert client.get("/admin/ratings/rating/").status_code == 200
    assert client.get("/admin/posters/cachedposter/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_health_endpoints(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["model"]["loaded"] is True
    assert ready.json()["database"]["ok"] is True


def test_pages_carry_a_content_security_policy_they_keep(client, settings):
    import re

    for url in ("/", "/movies/1/", "/accounts/signup/", "/api/docs", "/movies/5000/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "image.tmdb.org" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|style=", html)
    assert "Content-Security-Policy" not in client.get("/api/movies")
    settings.TMDB_API_KEY = "key"
    # A page without posters: one with cards would start the background poster job, whose
    # writes would land in later tests' data.
    policy = client.get("/accounts/signup/")["Content-Security-Policy"]
    assert "img-src 'self' data: https://image.tmdb.org" in policy
