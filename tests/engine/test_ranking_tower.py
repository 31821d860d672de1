"""A brand-new user's ranking vector from the ranking head's own tower (base + history terms),
and the artifact checks that guard it."""

from pathlib import Path

import numpy as np
import pytest

from movierec.artifacts import ArtifactError, write_artifact
from movierec.engine import Recommender
from movierec.engine.demographics import Demographics
from movierec.engine.ranking_tower import RankingTower, TowerHistory

from .conftest import DIM, Planted


def test_the_vector_is_base_plus_the_members_history_terms_scaled() -> None:
    implicit = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)  # K=2, M=3, H=2
    explicit = np.ones((2, 3, 2), dtype=np.float32)
    weights = np.array([[[1.0, 0.0]], [[0.0, 2.0]]])  # (K, E/K=1, H)
    tower = RankingTower(np.array([10.0, 20.0]), TowerHistory(implicit, explicit, weights, 3.0))
    vector = tower.vector(Demographics(), None, np.array([0, 2]), np.array([5.0, 1.0]))
    # Member 0: mean of (implicit[0, 0] + 2) and (implicit[0, 2] - 2) = ([0, 1] + [4, 5]) / 2.
    history = np.array([[2.0, 3.0], [8.0, 9.0]])
    expected = np.array([10.0, 20.0]) + np.array([history[0, 0], 2 * history[1, 1]]) / np.sqrt(2)
    assert vector == pytest.approx(expected)
    # No ratings: the base alone.
    assert tower.vector(Demographics(), None, np.array([], dtype=np.int64),
                        np.array([])) == pytest.approx([10.0, 20.0])


def test_the_base_follows_the_demographics_given() -> None:
    base = np.zeros((2, 7, 21, 2))
    base[1, :, :, 0] = 1.0  # men point one way, women the other
    base[0, :, :, 1] = 1.0
    tower = RankingTower(base, None)
    none = np.array([], dtype=np.int64)
    assert tower.vector(Demographics("M"), None, none, none) == pytest.approx([1.0, 0.0])
    assert tower.vector(Demographics("F"), None, none, none) == pytest.approx([0.0, 1.0])
    assert tower.vector(Demographics(), None, none, none) == pytest.approx([0.5, 0.5])


def with_tower(ranked: Planted, folder: Path, **changes: object) -> Path:
    """The ranked artifact plus a tower whose history is the mean of the rated movies' ranking
    vectors (identity weights, no centring effect), with `changes` to arrays or scoring."""
    movies = ranked.arrays["ranking_movie_vectors"]
    arrays = dict(ranked.arrays) | {
        "ranking_new_user_base": np.zeros((2, 7, 21, DIM), dtype=np.float32),
        "ranking_new_user_history_implicit": movies[None].astype(np.float32),
        "ranking_new_user_history_explicit": np.zeros((1, *movies.shape), dtype=np.float32),
        "ranking_new_user_history_weights": np.eye(DIM, dtype=np.float32)[None],
    }
    scoring = dict(ranked.documents["scoring"]) | {"ranking_rating_offset": 3.5}
    for name, value in changes.items():
        if name == "scoring":
            scoring = value
        elif value is None:
            arrays.pop(name)
        else:
            arrays[name] = value
    return write_artifact(folder, arrays=arrays,
                          documents=dict(ranked.documents) | {"scoring": scoring})


def test_new_users_are_scored_by_the_tower(ranked: Planted, tmp_path: Path) -> None:
    engine = Recommender.from_artifact(with_tower(ranked, tmp_path / "model"))
    rated = sorted(ranked.movies_in(2))[:3]
    results = engine.for_new_user(dict.fromkeys(rated, 4), n=5)
    positions = [list(ranked.movie_ids).index(movie) for movie in rated]
    vector = ranked.arrays["ranking_movie_vectors"][positions].mean(axis=0)
    for result in results:
        movie = list(ranked.movie_ids).index(result.movie_id)
        assert result.score == pytest.approx(
            float(vector @ ranked.arrays["ranking_movie_vectors"][movie]), rel=1e-5)
    assert not set(rated) & {result.movie_id for result in results}


@pytest.mark.parametrize(("changes", "message"), [
    ({"ranking_new_user_base": np.zeros((3,), dtype=np.float32)}, "ranking_new_user_base"),
    ({"ranking_new_user_history_weights": None}, "set of three"),
    ({"ranking_new_user_history_implicit": np.zeros((1, 5, DIM), dtype=np.float32)},
     "disagree"),
    ({"scoring": {"global_bias": 3.0, "rating_scale": [1.0, 5.0, 1.0]}},
     "ranking_rating_offset"),
])
def test_an_inconsistent_tower_is_refused(ranked: Planted, tmp_path: Path,
                                          changes: dict, message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        Recommender.from_artifact(with_tower(ranked, tmp_path / "model", **changes))
