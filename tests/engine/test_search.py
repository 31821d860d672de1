"""Title search: case, accents, articles, partial words and typos; best match, then popularity."""

import zipfile
from pathlib import Path

import numpy as np
import pytest

from movierec.engine import InvalidRequest, Recommender, display_title
from movierec.engine.search import TitleIndex

from .conftest import Planted


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("matrix", "The Matrix"),
        ("The Matrix", "The Matrix"),
        ("MATRIX, THE", "The Matrix"),
        ("toy stroy", "Toy Story"),
        ("toy", "Toy Story"),
        ("amelie", "Amélie (Fabuleux destin d'Amélie Poulain, Le)"),
        ("Amélie", "Amélie (Fabuleux destin d'Amélie Poulain, Le)"),
        ("fabuleux destin", "Amélie (Fabuleux destin d'Amélie Poulain, Le)"),
        ("termin", "The Terminator"),
        ("terminator 2", "Terminator 2: Judgment Day"),
        ("lion kign", "The Lion King"),
        ("bugs life", "A Bug's Life"),
        ("bug's life", "A Bug's Life"),
        ("when harry met sally", "When Harry Met Sally..."),
        ("face off", "Face/Off"),
        ("nosferatu symphonie", "Nosferatu (Nosferatu, eine Symphonie des Grauens)"),
        ("shining 1980", "The Shining"),
    ],
)
def test_finds(engine: Recommender, query: str, title: str) -> None:
    assert engine.search(query, 3)[0].title == title


def test_match_levels(engine: Recommender) -> None:
    def level(query: str) -> float:
        return engine.search(query, 1)[0].match

    assert level("toy story") == 1.0
    assert level("story toy") == 0.9
    assert level("toy sto") == 0.8
    assert level("toy stroy") == 0.7


def test_equal_matches_go_by_popularity(engine: Recommender) -> None:
    hits = engine.search("terminator", 5)
    assert [h.title for h in hits] == ["The Terminator", "Terminator 2: Judgment Day"]
    hits = engine.search("toy", 5)
    assert [h.title for h in hits] == ["Toy Story", "Toy Story 2"]
    assert hits[0].ratings > hits[1].ratings


def test_nothing_found(engine: Recommender) -> None:
    assert engine.search("qwertyuiop") == []


@pytest.mark.parametrize("query", ["", "   ", None])
def test_empty_query(engine: Recommender, query: object) -> None:
    with pytest.raises(InvalidRequest, match="empty"):
        engine.search(query)  # type: ignore[arg-type]


def test_find_movie_takes_an_id_or_a_title(engine: Recommender, planted: Planted) -> None:
    heat = planted.movie_id("Heat")
    assert engine.find_movie(str(heat)).title == "Heat"
    assert engine.find_movie(heat).title == "Heat"
    assert engine.find_movie("the shining").title == "The Shining"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Matrix, The (1999)", "The Matrix"),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            "The City of Lost Children (Cité des enfants perdus, La)",
        ),
        ("Argent, L' (1983)", "L'Argent"),
        ("Heat (1995)", "Heat"),
        ("Babylon 5", "Babylon 5"),
    ],
)
def test_display_title(title: str, shown: str) -> None:
    assert display_title(title) == shown


def _ml100k_titles(archive_path: Path) -> list[str]:
    with zipfile.ZipFile(archive_path) as archive:
        lines = archive.read("ml-100k/u.item").decode("iso-8859-1").splitlines()
    return [line.split("|")[1] for line in lines]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("toy stroy", "Toy Story (1995)"),
        ("godfather", "Godfather, The (1972)"),
        ("star wars", "Star Wars (1977)"),
        ("the usual suspects", "Usual Suspects, The (1995)"),
        ("schindlers list", "Schindler's List (1993)"),
        ("shawshank", "Shawshank Redemption, The (1994)"),
        ("silence of the lamb", "Silence of the Lambs, The (1991)"),
    ],
)
def test_real_titles(real_ml100k: Path, query: str, title: str) -> None:
    titles = _ml100k_titles(real_ml100k)
    index = TitleIndex(titles, [None] * len(titles))
    popularity = np.zeros(len(titles))
    found = [titles[movie] for movie, _ in index.search(query, popularity, 5)]
    assert title in found
