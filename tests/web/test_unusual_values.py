"""Dataset values a URL must still carry: a genre with "/" in it, negative ids, ids of twelve
digits. A published model holding them never makes a page a 500, and every link resolves."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings as site_settings
from django.urls import Resolver404, resolve, reverse

from .artifacts import CATALOGUE, make_artifact
from .conftest import publish_link

SLASHED = "Sci-Fi/Fantasy"
ODD = "Noir & co. #1?"
NEGATIVE_MOVIE = -7
LONG_MOVIE = 123_456_789_012
NEGATIVE_USER = -3
LONG_USER = 987_654_321_098


@pytest.fixture
def unusual_model(tmp_path: Path, settings) -> Path:
    catalogue = [
        (title, [SLASHED if genre == "Sci-Fi" else genre for genre in genres], tmdb_id)
        for title, genres, tmdb_id in CATALOGUE
    ]
    title, genres, tmdb_id = catalogue[8]  # Star Wars: a Sci-Fi/Fantasy film
    catalogue[8] = (title, [*genres, ODD], tmdb_id)
    movie_ids = list(range(1, len(catalogue) + 1))
    movie_ids[8], movie_ids[0] = NEGATIVE_MOVIE, LONG_MOVIE
    user_ids = list(range(1, 41))
    user_ids[0], user_ids[1] = NEGATIVE_USER, LONG_USER
    model = make_artifact(
        tmp_path / "unusual", catalogue=catalogue, movie_ids=movie_ids, user_ids=user_ids
    )
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "site", model)
    return settings.MOVIEREC_MODEL


def page(client, url: str) -> str:
    """The page's html, after checking it is a 200 whose site links all resolve."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    for link in re.findall(r'(?:href|src|action)="(/[^"]*)"', html):
        if link.startswith(site_settings.STATIC_URL):
            continue
        path = unquote(urlsplit(link.replace("&amp;", "&")).path)
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{url} links to {link}, which resolves to nothing")
    return html


def test_the_home_page_links_the_slashed_genre(client, unusual_model):
    html = page(client, "/")
    assert 'href="/genres/Sci-Fi/Fantasy/"' in html


@pytest.mark.parametrize("genre", [SLASHED, ODD])
def test_a_genre_page_for_any_genre_name(client, unusual_model, genre):
    url = reverse("catalog:genre", args=[genre])
    assert resolve(unquote(url)).kwargs == {"name": genre}
    assert genre.replace("&", "&amp;") in page(client, url)


def test_plain_genre_urls_still_work(client, unusual_model):
    assert "Drama" in page(client, "/genres/Drama/")
    assert client.get("/genres/Nothing-Such/").status_code == 404


@pytest.mark.parametrize("movie_id", [NEGATIVE_MOVIE, LONG_MOVIE])
def test_movie_pages_of_negative_and_long_ids(client, unusual_model, movie_id):
    html = page(client, f"/movies/{movie_id}/")
    if movie_id == NEGATIVE_MOVIE:
        assert "Star Wars" in html and 'href="/genres/Sci-Fi/Fantasy/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/movies/-8/",
        "/movies/99999999999999999999999/",
        "/users/-4/",
        "/users/99999999999999999999999/",
    ],
)
def test_unknown_or_impossible_ids_are_a_404(client, unusual_model, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("user_id", [NEGATIVE_USER, LONG_USER])
def test_dataset_user_pages_of_negative_and_long_ids(client, unusual_model, user_id):
    page(client, f"/users/{user_id}/")
    page(client, "/users/")
    response = client.get("/users/", {"id": f" {user_id} "})
    assert response.status_code == 302 and response.url == f"/users/{user_id}/"


def test_personal_pages_link_unusual_movies(signed_in, unusual_model):
    for movie_id in (NEGATIVE_MOVIE, LONG_MOVIE):
        response = signed_in.post(f"/movies/{movie_id}/rate/", {"stars": "5"})
        assert response.status_code == 302
    for url in ("/", "/for-you/", "/for-you/list/", "/welcome/", "/my/ratings/"):
        page(signed_in, url)
    assert f'href="/movies/{NEGATIVE_MOVIE}/"' in page(signed_in, "/my/ratings/")
