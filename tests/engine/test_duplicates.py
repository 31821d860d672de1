"""Alias ids of films a release listed twice resolve to the kept id; unlisted movies and
duplicates never show in a list or a search."""

import copy
from pathlib import Path

import numpy as np
import pytest

from movierec.artifacts import ArtifactError, write_artifact
from movierec.engine import Filters, Recommendation, Recommender, top_n_blocks

from .conftest import Planted, build_planted

HEAT, HEAT_ALIAS = 7, 8
DIE_HARD, DIE_HARD_ALIAS = 17, 19
ALIASES = np.array([[HEAT_ALIAS, HEAT], [DIE_HARD_ALIAS, DIE_HARD]], dtype=np.int64)


def _write(planted: Planted, destination: Path, **arrays: np.ndarray) -> Path:
    """The planted artifact again with Antz titled "unknown" (a model older than the listed
    flag), Tootsie flagged `listed: false` (as `data prepare` flags), and `arrays` added."""
    documents = copy.deepcopy(planted.documents)
    for record in documents["movies"]:
        if record["title"].startswith("Antz"):
            record.update(title="unknown", year=None)
        if record["title"].startswith("Tootsie"):
            record["listed"] = False
    write_artifact(destination, arrays={**planted.arrays, **arrays}, documents=documents)
    return destination


@pytest.fixture(scope="module")
def planted_flawed(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return build_planted(tmp_path_factory.mktemp("flawed") / "planted")


@pytest.fixture(scope="module")
def unlisted(planted_flawed: Planted) -> set[int]:
    return {planted_flawed.movie_id("Antz"), planted_flawed.movie_id("Tootsie")}


@pytest.fixture(scope="module")
def flawed(planted_flawed: Planted, tmp_path_factory: pytest.TempPathFactory) -> Recommender:
    path = _write(planted_flawed, tmp_path_factory.mktemp("flawed") / "model",
                  movie_aliases=ALIASES)
    return Recommender.from_artifact(path)


def _ids(results: list[Recommendation]) -> list[int]:
    return [result.movie_id for result in results]


def test_an_alias_is_the_film_it_stands_for(flawed: Recommender) -> None:
    assert flawed.movie(HEAT_ALIAS) == flawed.movie(HEAT)
    assert flawed.movie(DIE_HARD_ALIAS).title == "Die Hard"
    assert flawed.find_movie(str(HEAT_ALIAS)).movie_id == HEAT
    assert flawed.similar_movies(HEAT_ALIAS) == flawed.similar_movies(HEAT)
    assert flawed.also_liked(HEAT_ALIAS) == flawed.also_liked(HEAT)
    assert flawed.also_liked(HEAT_ALIAS, audience="raters") == flawed.also_liked(
        HEAT, audience="raters")
    assert flawed.for_new_user({HEAT_ALIAS: 5}) == flawed.for_new_user({HEAT: 5})
    for results in (flawed.similar_movies(HEAT_ALIAS), flawed.for_new_user({HEAT_ALIAS: 5})):
        assert HEAT not in _ids(results) and HEAT_ALIAS not in _ids(results)


def test_a_film_rated_under_both_ids_counts_once_as_last_given(flawed: Recommender) -> None:
    both = flawed.for_new_user({HEAT: 5, HEAT_ALIAS: 1, 27: 4})
    assert both == flawed.for_new_user({HEAT: 1, 27: 4})


def test_no_list_shows_an_unlisted_movie_a_film_twice_or_the_movie_itself(
    flawed: Recommender, planted_flawed: Planted, unlisted: set[int]
) -> None:
    everything = len(planted_flawed.movie_ids)
    lists: list[tuple[int | None, list[Recommendation]]] = [
        (None, flawed.for_new_user(n=everything)),
        (None, flawed.for_new_user({HEAT: 5, HEAT_ALIAS: 4}, n=everything)),
        (None, flawed.for_new_user(n=5, filters=Filters(genres=("Animation",)))),
    ]
    for user in planted_flawed.user_ids.tolist():
        lists.append((None, flawed.for_user(user, n=everything)))
        lists.append((None, flawed.for_user(user, n=everything, exclude_seen=False)))
    for movie in planted_flawed.movie_ids.tolist():
        lists.append((movie, flawed.similar_movies(movie, n=everything)))
        lists.append((movie, flawed.also_liked(movie, n=everything)))
    for source, results in lists:
        ids = _ids(results)
        assert len(ids) == len(set(ids)), "a film twice"
        assert not set(ids) & unlisted
        assert source not in ids
        assert not set(ids) & {HEAT_ALIAS, DIE_HARD_ALIAS}, "ids are the kept ones"
        # Nor does a reason cite an unlisted movie ("because you rated unknown"), unless the
        # list is that movie's own (its page, reached by id).
        if source not in unlisted:
            assert not any("unknown" in repr(result.reason) or "Tootsie" in repr(result.reason)
                           for result in results)
    for _, movies, scores in top_n_blocks(flawed, n=everything):
        assert not set(movies[np.isfinite(scores)].tolist()) & {
            list(planted_flawed.movie_ids).index(movie) for movie in unlisted}


def test_no_search_finds_an_unlisted_movie(flawed: Recommender, unlisted: set[int]) -> None:
    for query in ("unknown", "tootsie", "antz"):
        assert not {hit.movie_id for hit in flawed.search(query)} & unlisted
    assert flawed.search("heat")[0].movie_id == HEAT


def test_an_unlisted_movie_is_still_a_movie(
    flawed: Recommender, planted_flawed: Planted
) -> None:
    antz = planted_flawed.movie_id("Antz")
    movie = flawed.movie(antz)
    assert movie.title == "unknown" and movie.ratings > 0, "looked up by id; its ratings count"
    assert antz not in _ids(flawed.similar_movies(antz))
    assert flawed.for_new_user({antz: 5})


@pytest.mark.parametrize(("aliases", "message"), [
    (np.array([[HEAT, DIE_HARD]]), "both an id and an alias"),
    (np.array([[HEAT_ALIAS, 9]]), "stands for id 9"),
    (np.array([[HEAT_ALIAS, HEAT], [HEAT_ALIAS, DIE_HARD]]), "listed twice"),
    (np.array([HEAT_ALIAS, HEAT]), r"shape \(2,\)"),
])
def test_inconsistent_aliases_are_refused(
    planted_flawed: Planted, tmp_path: Path, aliases: np.ndarray, message: str
) -> None:
    path = _write(planted_flawed, tmp_path / "model", movie_aliases=aliases.astype(np.int64))
    with pytest.raises(ArtifactError, match=message):
        Recommender.from_artifact(path)
