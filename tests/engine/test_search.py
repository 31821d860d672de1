"""Title search: case, accents, articles, partial words and typos; best match, then popularity."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
from synthetic_artifacts import write_model

from movierec.engine import Filters, InvalidRequest, Recommender, display_title
from movierec.engine.related import RelatedMovies
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
    hits = [hit for hit in engine.search("terminator", 5) if hit.kind == "title"]
    assert [h.title for h in hits] == ["The Terminator", "Terminator 2: Judgment Day"]
    hits = [hit for hit in engine.search("toy", 5) if hit.kind == "title"]
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
    found = [titles[movie] for movie, _, _ in index.find(query, popularity, 5)]
    assert title in found


# A catalogue written as MovieLens writes it, where a fan's words and the titles part ways:
# ML-100K's Star Wars sequels do not say "Star Wars". (title, ratings, direction in the model's
# space): the trilogy shares one direction, every other movie has one of its own.
FAN_TITLES: list[tuple[str, int, int]] = [
    ("Star Wars (1977)", 90, 0),
    ("Empire Strikes Back, The (1980)", 40, 0),
    ("Return of the Jedi (1983)", 50, 0),
    ("Lone Star (1996)", 80, 1),
    ("Star Trek: First Contact (1996)", 70, 2),
    ("Star Wars: The Clone Wars (2008)", 5, 3),
    ("Wars of the Lone Star (1990)", 60, 4),
    ("Matrix, The (1999)", 85, 5),
    ("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", 30, 6),
    ("City of Lost Children, The (Cité des enfants perdus, La) (1995)", 20, 7),
    ("Seven (a.k.a. Se7en) (1995)", 45, 8),
    ("Toy Story (1995)", 75, 9),
    ("Toy Story 2 (1999)", 35, 9),
    ("Heat (1995)", 55, 10),
    ("Head Above Water (1996)", 65, 11),
    ("Fargo (1996)", 70, 12),
    ("Pulp Fiction (1994)", 70, 13),
    ("Addiction, The (1995)", 10, 14),
]


@pytest.fixture(scope="module")
def fan_engine(tmp_path_factory: pytest.TempPathFactory) -> Recommender:
    """The FAN_TITLES catalogue; user u rated movie m when u < its ratings."""
    rng = np.random.default_rng(3)
    directions = np.eye(16)[[direction for _, _, direction in FAN_TITLES]]
    movie_vectors = directions + rng.normal(0, 0.01, directions.shape)
    users = max(ratings for _, ratings, _ in FAN_TITLES)
    seen = [
        {movie: 4.0 for movie, (_, ratings, _) in enumerate(FAN_TITLES) if user < ratings}
        for user in range(users)
    ]
    movies = [
        {"movie_id": 100 + movie, "title": title, "year": int(title[-5:-1]),
         "genres": ["Drama"], "imdb_id": None, "tmdb_id": None}
        for movie, (title, _, _) in enumerate(FAN_TITLES)
    ]
    path = write_model(
        tmp_path_factory.mktemp("fans") / "model", user_ids=np.arange(users) + 1, movies=movies,
        user_vectors=rng.normal(0, 0.1, (users, 16)), movie_vectors=movie_vectors, seen=seen,
    )
    return Recommender.from_artifact(path)


def _listed(engine: Recommender, query: str, n: int = 10, **filters: int) -> list[tuple]:
    found = engine.search(query, n, filters=Filters(**filters) if filters else None)
    return [(hit.title, hit.kind) for hit in found]


def test_a_fans_words_find_the_series(fan_engine: Recommender) -> None:
    # Every word first (the whole title, then the phrase before a more rated title that
    # has the words apart), then the movies the model puts beside the best match, and no
    # title with one of the words only: Lone Star has "star" and more ratings than either.
    listed = _listed(fan_engine, "star wars")
    assert listed[:3] == [
        ("Star Wars", "title"),
        ("Star Wars: The Clone Wars", "title"),
        ("Wars of the Lone Star", "title"),
    ]
    assert sorted(listed[3:]) == [
        ("Return of the Jedi", "related"),
        ("The Empire Strikes Back", "related"),
    ]


def test_related_movies_obey_the_filters_and_n(fan_engine: Recommender) -> None:
    assert ("Return of the Jedi", "related") not in _listed(fan_engine, "star wars", year_max=1980)
    assert _listed(fan_engine, "star wars", n=4)[-1][1] == "related"
    assert all(kind == "title" for _, kind in _listed(fan_engine, "star wars", n=3))


def test_an_index_without_the_model_lists_titles_only() -> None:
    titles = [title for title, _, _ in FAN_TITLES]
    index = TitleIndex(titles, [None] * len(titles))
    found = index.find("star wars", np.ones(len(titles), dtype=np.int64), 10)
    assert [kind for _, _, kind in found] == ["title"] * 3


def test_a_title_with_some_words_only_is_cut_when_much_weaker(fan_engine: Recommender) -> None:
    # No title has all three words: the rare "jedi" keeps Return of the Jedi, the common
    # "star" alone does not keep Lone Star or Star Trek.
    listed = _listed(fan_engine, "star wars jedi")
    assert ("Return of the Jedi", "title") in listed
    assert not {"Lone Star", "Star Trek: First Contact"} & {title for title, _ in listed}


def test_a_word_titles_have_is_not_corrected(fan_engine: Recommender) -> None:
    assert _listed(fan_engine, "heat") == [("Heat", "title")]
    assert _listed(fan_engine, "haet")[0] == ("Heat", "title")


@pytest.mark.parametrize(
    ("query", "title", "match"),
    [
        ("se7en", "Seven (a.k.a. Se7en)", 1.0),
        ("la cite des enfants perdus",
         "The City of Lost Children (Cité des enfants perdus, La)", 1.0),
        ("amelie", "Amélie (Fabuleux destin d'Amélie Poulain, Le)", 1.0),
        ("matirx", "The Matrix", 0.7),
    ],
)
def test_alternative_titles_accents_and_typos(
    fan_engine: Recommender, query: str, title: str, match: float
) -> None:
    hit = fan_engine.search(query, 5)[0]
    assert (hit.title, hit.kind, hit.match) == (title, "title", match)


@pytest.mark.parametrize(
    ("query", "title"),
    [("toystory", "Toy Story"), ("thematrix", "The Matrix"), ("starwars", "Star Wars")],
)
def test_no_match_suggests_the_closest_titles(
    fan_engine: Recommender, query: str, title: str
) -> None:
    hits = fan_engine.search(query, 5)
    assert (hits[0].title, hits[0].kind, hits[0].match) == (title, "suggestion", 0.0)


def test_only_titles_about_as_alike_as_the_closest_are_suggested(
    fan_engine: Recommender,
) -> None:
    # "pulpfiction" shares half its letter triples with "addiction": not offered beside a
    # title that shares them all. Toy Story 2 is nearly as alike as Toy Story: offered.
    assert _listed(fan_engine, "pulpfiction") == [("Pulp Fiction", "suggestion")]
    assert _listed(fan_engine, "toystory") == [
        ("Toy Story", "suggestion"), ("Toy Story 2", "suggestion")
    ]


def test_nothing_alike_suggests_nothing(fan_engine: Recommender) -> None:
    assert fan_engine.search("qwertyuiop") == []


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("query", "first", "kind"),
    [
        ("se7en", "Seven (Se7en) (1995)", "title"),
        ("manon des sources", "Manon of the Spring (Manon des sources) (1986)", "title"),
        ("toystory", "Toy Story (1995)", "suggestion"),
        ("godfater", "Godfather, The (1972)", "title"),
    ],
)
def test_real_titles_alternatives_and_suggestions(
    real_ml100k: Path, query: str, first: str, kind: str
) -> None:
    titles = _ml100k_titles(real_ml100k)
    index = TitleIndex(titles, [None] * len(titles))
    found = index.find(query, np.zeros(len(titles), dtype=np.int64), 10)
    assert (titles[found[0].movie], found[0].kind) == (first, kind)


@pytest.mark.realdata
def test_real_titles_with_one_common_word_are_cut(real_ml100k: Path) -> None:
    titles = _ml100k_titles(real_ml100k)
    index = TitleIndex(titles, [None] * len(titles))
    found = index.find("star wars", np.zeros(len(titles), dtype=np.int64), 10)
    assert [titles[movie] for movie, _, _ in found] == ["Star Wars (1977)"]


def test_related_movies_are_mutual_nearest_neighbours() -> None:
    # A's nearest: B, then the hub H and its three near twins. B has A first; H has its twins
    # before A, so H is near A but not related to it. The others fill other dimensions.
    rng = np.random.default_rng(5)
    hub = np.array([0.9, 0.0, 0.43] + [0.0] * 21)
    vectors = [np.eye(24)[0], np.eye(24)[0] + 0.14 * np.eye(24)[1], hub]
    vectors += [hub + rng.normal(0, 0.01, 24) for _ in range(3)]
    vectors += [np.eye(24)[3 + other] for other in range(20)]
    units = np.array([vector / np.linalg.norm(vector) for vector in vectors])
    related = RelatedMovies(units, np.full(len(units), 10))
    assert related.related(0, 3) == [1]
    assert related.related(0, 3, allowed=np.arange(len(units)) != 1) == []
    assert 0 not in related.related(2, 3)
