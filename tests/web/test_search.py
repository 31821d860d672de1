"""Search on the site and the API: what a fan types finds the series, a near miss is offered as
"did you mean", and the box's examples are movies the served model has."""

from pathlib import Path

import pytest

from .artifacts import CATALOGUE, make_artifact
from .conftest import publish_link

pytestmark = pytest.mark.django_db

# ML-100K's titles: the sequels do not say "Star Wars". Alone in their genre cluster, so the
# model puts them beside each other; every other movie is of another cluster.
TRILOGY = [
    ("Star Wars (1977)", ["Documentary"], 11),
    ("Empire Strikes Back, The (1980)", ["Documentary"], 1891),
    ("Return of the Jedi (1983)", ["Documentary"], 1892),
]
FAN_CATALOGUE = TRILOGY + [
    movie for movie in CATALOGUE
    if movie[1][0] not in ("Drama", "Documentary") and movie[0] != "Star Wars (1977)"
] + [("Lone Star (1996)", ["Western"], 26748)]


@pytest.fixture(scope="module")
def fan_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_artifact(tmp_path_factory.mktemp("models") / "fans", catalogue=FAN_CATALOGUE)


@pytest.fixture
def fan_model(fan_model_dir: Path, tmp_path: Path, settings) -> Path:
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "fans", fan_model_dir)
    return settings.MOVIEREC_MODEL


def test_the_series_follows_the_title_and_the_tail_is_cut(client, fan_model):
    html = client.get("/search/", {"q": "star wars"}).content.decode()
    main = html.split("<main", 1)[1]
    titles, related = main.split("Close to Star Wars", 1)
    assert "Star Wars" in titles and "Lone Star" not in main
    assert "Empire Strikes Back" in related and "Return of the Jedi" in related


def test_the_api_marks_related_movies(client, fan_model):
    hits = client.get("/api/movies/search", {"q": "star wars"}).json()
    assert [(hit["title"], hit["kind"]) for hit in hits][:1] == [("Star Wars", "title")]
    assert {hit["title"] for hit in hits if hit["kind"] == "related"} == {
        "The Empire Strikes Back", "Return of the Jedi"
    }
    assert all(hit["match"] == 0 for hit in hits if hit["kind"] == "related")


def test_a_near_miss_is_offered_as_did_you_mean(client):
    html = client.get("/search/", {"q": "toystory"}).content.decode()
    assert "Did you mean" in html and "Toy Story" in html
    assert "No movie matches" not in html
    hits = client.get("/api/movies/search", {"q": "toystory"}).json()
    assert (hits[0]["title"], hits[0]["kind"]) == ("Toy Story", "suggestion")


def test_nothing_alike_says_so(client):
    html = client.get("/search/", {"q": "zzqqxx"}).content.decode()
    assert "No movie matches" in html and "Did you mean" not in html


def test_the_examples_are_the_served_models_most_rated(client, fan_model):
    most_rated = [movie["title"] for movie in client.get("/api/movies", {"limit": 2}).json()]
    placeholder = f'placeholder="Search movies: {most_rated[0]}, {most_rated[1]}…"'
    assert placeholder in client.get("/").content.decode()
    page = client.get("/search/").content.decode()
    assert all(f">{title}</a>" in page for title in most_rated)
    assert "amelie" not in page.lower()


def test_the_box_still_renders_without_a_model(client, settings, tmp_path):
    settings.MOVIEREC_MODEL = tmp_path / "nothing-published"
    html = client.get("/search/").content.decode()
    assert 'placeholder="Search movies…"' in html


def test_the_schema_documents_the_kind(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    kind = schemas["SearchHitOut"]["properties"]["kind"]
    assert "did you mean" in kind["description"]
    assert set(kind["enum"]) == {"title", "related", "suggestion"}
