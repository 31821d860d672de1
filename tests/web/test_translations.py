"""The site's translations: every string of every template is marked for translation, every
marked string (templates and code) has its Simplified Chinese translation, and the language
follows the browser, a choice on any page, and the account."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

from movierec_site.translations import DOMAINS, LOCALE, catalogues, extracted, untranslated

from .test_operations import ROOT

TEMPLATES = ROOT / "src" / "movierec_site" / "templates"
CHINESE = {domain: LOCALE / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po" for domain in DOMAINS}
SHOWN_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"{]*)"')
NOT_WORDS = re.compile(r"&[a-z]+;|&#\d+;|\bmovierec\b|\bIMDb\b|\bTMDB\b|\bAPI\b")


def unmarked_text(template: Path) -> list[str]:
    """Words a person would read in `template` that are outside {% translate %} and
    {% blocktranslate %}: its text between tags, and its title, aria-label, placeholder and alt
    attributes."""
    found, marked, comment, in_tag = [], 0, False, False
    for token in Lexer(template.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            marked += name in ("blocktranslate", "blocktrans")
            marked -= name in ("endblocktranslate", "endblocktrans")
            comment = (comment or name == "comment") and name != "endcomment"
        elif token.token_type == TokenType.TEXT:
            # A tag may run across tokens ('<input value="' {{ v }} '">'): what is inside one
            # is markup, but for the attributes people read.
            visible, markup, in_tag = _visible_and_markup(token.contents, in_tag)
            if marked or comment:
                continue
            for words in [visible, *SHOWN_ATTRIBUTES.findall(markup)]:
                words = NOT_WORDS.sub(" ", words)
                if re.search(r"[A-Za-z]{2,}", words):
                    found.append(" ".join(words.split()))
    return found


def _visible_and_markup(text: str, in_tag: bool) -> tuple[str, str, bool]:
    """(the text outside tags, the text inside them, whether a tag is still open at the end),
    for text that starts inside a tag when `in_tag`."""
    visible, markup = [], []
    for part in re.split(r"([<>])", text):
        if part == "<":
            in_tag = True
        elif part == ">":
            in_tag = False
            visible.append(" ")
        else:
            (markup if in_tag else visible).append(part)
    return "".join(visible), "".join(markup), in_tag


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_string_of_the_template_is_marked_for_translation(template: Path) -> None:
    assert unmarked_text(template) == []


def test_the_check_finds_unmarked_text_and_passes_marked_text(tmp_path: Path) -> None:
    sample = tmp_path / "sample.html"
    sample.write_text('{% load i18n %}<h1>{% translate "Hello" %}</h1>\n<p>Plain words</p>'
                      '<img alt="A poster" src="x.svg"><span title="{{ name }}">★</span>'
                      '{% blocktranslate %}Hi {{ name }}{% endblocktranslate %} movierec')
    assert unmarked_text(sample) == ["Plain words", "A poster"]


@pytest.mark.skipif(shutil.which("xgettext") is None,
                    reason="xgettext (GNU gettext) extracts the strings; .ci/run installs it")
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_has_its_chinese_translation(domain: str) -> None:
    """The strings the code marks, as makemessages extracts them, each translated in the
    Chinese catalogue."""
    ours = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CHINESE[domain]))
            if entry.translated() and not entry.fuzzy and not entry.obsolete}
    missing = [entry.msgid for entry in extracted(domain)
               if (entry.msgctxt, entry.msgid) not in ours]
    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_chinese_catalogue_translates_everything_it_lists(domain: str) -> None:
    assert CHINESE[domain] in catalogues()
    assert untranslated(CHINESE[domain]) == []


@pytest.mark.django_db
def test_the_language_follows_the_browser_until_a_choice_on_any_page(client) -> None:
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
    assert client.get("/", **chinese)["Content-Language"] == "zh-hans"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")["Content-Language"] == "en"
    response = client.post("/language/", {"language": "en", "next": "/movies/3/"}, **chinese)
    assert response.status_code == 302 and response["Location"] == "/movies/3/"
    assert response.cookies["movierec_language"].value == "en"
    assert client.get("/movies/3/", **chinese)["Content-Language"] == "en"  # URLs stay the same


@pytest.mark.django_db
def test_an_accounts_choice_follows_it_to_another_browser(client, account) -> None:
    from django.test import Client

    client.force_login(account)
    client.post("/language/", {"language": "zh-hans", "next": "/"})
    account.refresh_from_db()
    assert account.language == "zh-hans"
    elsewhere = Client()
    elsewhere.force_login(account)
    assert elsewhere.get("/for-you/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_unknown_language_or_a_foreign_next_changes_nothing(client, account) -> None:
    client.force_login(account)
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")
    account.refresh_from_db()
    assert account.language == "" and "movierec_language" not in response.cookies
    assert client.get("/language/").status_code == 405


CHINESE_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
CJK_CHARACTER = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def toy_story_in_chinese(db) -> None:
    """What the poster job stores once TMDB gave Toy Story's (movie 1) zh-CN title."""
    from django.utils import timezone

    from movierec_site.posters.models import CachedPoster

    CachedPoster.objects.create(movie_id=1, status=CachedPoster.Status.MISSING,
                                fetched_at=timezone.now(), chinese_title="玩具总动员",
                                chinese_overview="胡迪和巴斯光年的故事。", chinese_checked=True)


def test_chinese_pages_show_the_chinese_title_with_the_original_beside(
        client, toy_story_in_chinese) -> None:
    page = client.get("/movies/1/", **CHINESE_BROWSER).content.decode()
    assert '<h1 class="movie-title" lang="zh-Hans">玩具总动员' in page
    assert '<p class="movie-original" lang="en">Toy Story</p>' in page
    assert "胡迪和巴斯光年的故事。" in page
    home = client.get("/", **CHINESE_BROWSER).content.decode()
    assert '<h3 class="card-title" lang="zh-Hans">玩具总动员</h3>' in home
    # In English the catalogue's own title, and nothing of the Chinese.
    english = client.get("/movies/1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "玩具总动员" not in english and '<h1 class="movie-title">Toy Story' in english


def test_search_finds_a_movie_by_its_chinese_title(client, toy_story_in_chinese) -> None:
    found = client.get("/search/", {"q": "玩具"}, **CHINESE_BROWSER).content.decode()
    assert 'href="/movies/1/"' in found.split("card-link", 2)[1]  # the first card
    api = client.get("/api/movies/search", {"q": "玩具总动员"}).json()
    assert api[0]["movie_id"] == 1


@pytest.mark.django_db
def test_api_error_details_say_the_kind_of_error_in_the_readers_language(client) -> None:
    english = client.get("/api/movies/99999")
    assert english.status_code == 404 and not CJK_CHARACTER.search(english.json()["detail"])
    chinese = client.get("/api/movies/99999", **CHINESE_BROWSER)
    detail = chinese.json()["detail"]
    assert chinese.status_code == 404 and english.json()["detail"] in detail
    assert CJK_CHARACTER.search(detail.split(english.json()["detail"])[0])
    bad = client.get("/api/movies", {"limit": "many"}, **CHINESE_BROWSER).json()["detail"]
    assert CJK_CHARACTER.search(bad) and "limit" in bad


@pytest.mark.django_db
def test_a_chinese_pages_drawn_posters_name_the_genres_in_chinese(client) -> None:
    english = client.get("/posters/1.svg").content.decode()  # Toy Story
    chinese = client.get("/posters/1.svg?lang=zh-hans").content.decode()
    assert "ANIMATION" in english and "ANIMATION" not in chinese
    assert CJK_CHARACTER.search(chinese)


@pytest.mark.django_db
def test_a_search_with_a_nul_byte_is_no_server_error(client, toy_story_in_chinese) -> None:
    assert client.get("/api/movies/search", {"q": "玩具\x00"}).status_code == 200
    assert client.get("/search/", {"q": "heat\x00"}).status_code == 200
