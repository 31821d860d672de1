"""The catalogue and recommendation pages in another language: reasons go through the site's
gettext, a card's cached HTML is kept per language, and a row's ids survive a title in
Chinese."""

import pytest
from django.template import Context
from django.utils.translation import override

from movierec.engine import Reason
from movierec_site.catalog import reasons
from movierec_site.catalog.cards import MovieCard
from movierec_site.catalog.rows import Row
from movierec_site.catalog.templatetags import cards as card_tags

PAGES = ["/", "/search/", "/search/?q=the", "/genres/Action/?year_min=2000&year_max=1990",
         "/movies/1/", "/users/", "/users/1/", "/for-you/", "/nope/"]


def test_the_site_words_a_reason_in_the_visitors_language(monkeypatch):
    catalogue = {"because this viewer rated %(title)s %(stars)s stars":
                 "因为这位观众给《%(title)s》打了%(stars)s星"}
    monkeypatch.setattr(reasons, "gettext", lambda phrase: catalogue.get(phrase, phrase))
    reason = Reason("rated_similar", movie_id=6, title="Heat", stars=5.0)
    assert reasons.reason_text(reason, about_someone_else=True) == "因为这位观众给《Heat》打了5星"
    assert reasons.reason_text(reason) == "because you rated Heat 5 stars"


def test_a_card_is_rendered_again_in_another_language():
    card = MovieCard(movie_id=1, title="Heat", year=1995, genres=("Action",),
                     poster_url="/p/1.jpg", fallback_url="/p/1.svg", mean_rating=4.1, ratings=3)
    card_tags._card_html.cache_clear()
    with override("en"):
        english = card_tags.movie_card(Context(), card)
        assert card_tags.movie_card(Context(), card) == english
    with override("zh-hans"):
        card_tags.movie_card(Context(), card)
    assert card_tags._card_html.cache_info().misses == 2
    assert "avg 4.1 · 3 ratings" in english


def test_a_rows_ids_keep_a_title_in_any_script():
    assert Row("Best of Film-Noir", []).slug == "best-of-film-noir"
    assert Row("为你推荐", []).slug == "为你推荐"
    assert Row("为你推荐", []).slug != Row("热门", []).slug


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_the_pages_answer_alike_in_chinese(client, account, url):
    client.force_login(account)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese.status_code == english.status_code
    assert chinese["Content-Language"] == "zh-hans"
