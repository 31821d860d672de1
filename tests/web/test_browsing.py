"""Genre pages, My ratings and For you: sorts, filters and pages from the query string; a bad
value is named on the form and ignored, never an error page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from movierec_site.catalog import browsing
from movierec_site.ratings.models import Rating

from .test_lists import movie_ids_in

pytestmark = pytest.mark.django_db


def titles_in(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'<h3 class="card-title">([^<]+)</h3>', html)]


def years_in(html: str) -> list[int]:
    return [int(year) for year in re.findall(r'<p class="card-meta">(\d{4})', html)]


def test_a_genre_page_sorts_by_title_newest_and_most_rated(client) -> None:
    by_title = titles_in(client.get("/genres/Comedy/?sort=title").content.decode())
    # Articles file at the end, as the release writes them ("Big Lebowski, The" under B).
    assert by_title[:4] == ["Airplane!", "Aladdin", "Amelie (Fabuleux destin d'Amélie "
                            "Poulain, Le)", "Annie Hall"]
    assert by_title.index("The Big Lebowski") < by_title.index("Clueless")
    years = years_in(client.get("/genres/Comedy/?sort=newest").content.decode())
    assert years == sorted(years, reverse=True) and len(years) == len(by_title)
    assert sorted(titles_in(client.get("/genres/Comedy/?sort=most_rated").content.decode())) \
        == sorted(by_title)


def test_a_genre_page_filters_by_years_and_ratings(client) -> None:
    html = client.get("/genres/Action/?sort=newest&year_min=1990&year_max=1999").content.decode()
    years = years_in(html)
    assert years and all(1990 <= year <= 1999 for year in years)
    assert "Clear filters" in html
    every = len(movie_ids_in(client.get("/genres/Action/").content.decode()))
    few = movie_ids_in(client.get("/genres/Action/?min_ratings=10000").content.decode())
    assert every > 5 and few == []


def test_pages_split_a_long_list(client, monkeypatch) -> None:
    whole = titles_in(client.get("/genres/Action/?sort=title").content.decode())
    monkeypatch.setattr(browsing, "PAGE_SIZE", 4)
    from movierec_site.catalog import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    first = client.get("/genres/Action/?sort=title").content.decode()
    second = client.get("/genres/Action/?sort=title&page=2").content.decode()
    assert len(titles_in(first)) == 4 and "Page 1 of" in first
    assert 'rel="next" href="?sort=title&amp;page=2"' in first
    assert titles_in(first) + titles_in(second) == whole[:8]
    beyond = client.get("/genres/Action/?page=99").content.decode()
    assert titles_in(beyond) == [] and "Page 99 of" in beyond


@pytest.mark.parametrize("query", ["sort=rating", "year_min=abc", "year_min=1990&year_max=1980",
                                   "page=0", "min_ratings=-3", "page=" + "9" * 30])
def test_a_bad_value_is_named_and_ignored(client, query: str) -> None:
    response = client.get(f"/genres/Drama/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "(ignored)" in html
    assert titles_in(html)


def test_a_genre_page_has_no_genre_to_choose(client) -> None:
    """Its genre is the page's: a genre in the query changes nothing."""
    drama = titles_in(client.get("/genres/Drama/").content.decode())
    assert titles_in(client.get("/genres/Drama/?genre=Polka").content.decode()) == drama
    assert titles_in(client.get("/genres/Drama/?genre=Comedy").content.decode()) == drama


def test_my_ratings_show_dates_and_sort_and_filter(signed_in, account) -> None:
    now = timezone.now()
    for days, movie, stars in ((3, 1, 4), (1, 3, 2), (2, 21, 5)):  # Toy Story, Heat, Shining
        rating = Rating.objects.create(user=account, movie_id=movie, stars=stars)
        Rating.objects.filter(pk=rating.pk).update(updated=now - timedelta(days=days))
    html = signed_in.get("/my/ratings/").content.decode()
    assert movie_ids_in(html) == [3, 21, 1]  # most recently rated first
    assert (now - timedelta(days=1)).strftime("%-d %b %Y") in html and "Rated <time" in html
    stars = movie_ids_in(signed_in.get("/my/ratings/?sort=your_stars").content.decode())
    assert stars == [21, 1, 3]
    titles = titles_in(signed_in.get("/my/ratings/?sort=title").content.decode())
    assert titles == ["Heat", "The Shining", "Toy Story"]
    horror = movie_ids_in(signed_in.get("/my/ratings/?genre=Horror").content.decode())
    assert horror == [21]
    empty = signed_in.get("/my/ratings/?genre=Horror&year_max=1950").content.decode()
    assert "None of your ratings matches these filters." in empty


def test_for_you_sorts_and_filters_the_accounts_picks(signed_in, account) -> None:
    Rating.objects.create(user=account, movie_id=1, stars=5)
    picks = movie_ids_in(signed_in.get("/for-you/list/").content.decode())
    by_title = titles_in(signed_in.get("/for-you/list/?sort=title").content.decode())
    assert by_title == sorted(by_title, key=lambda title: title.removeprefix("The "))
    assert len(picks) == len(by_title)
    comedies = signed_in.get("/for-you/?genre=Comedy").content.decode()
    assert 'data-refresh-url="/for-you/list/?genre=Comedy"' in comedies
    from movierec_site.serving.engine import current_engine

    engine = current_engine()
    assert all("Comedy" in engine.movie(movie).genres
               for movie in movie_ids_in(comedies.split('id="for-you"')[1]
                                         .split("Rate a few more")[0]))
