"""Loading: torch-free imports, one clear error per inconsistent artifact."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from movierec.artifacts import ArtifactError, read_artifact, write_artifact
from movierec.engine import Recommender
from movierec.engine.model import load_tables

from .conftest import Planted


def test_importing_the_engine_leaves_torch_pandas_and_django_alone() -> None:
    code = (
        "import sys, movierec.engine, movierec.cli.recommend, movierec.cli.publish\n"
        "import movierec.cli.models, movierec.cli.rollback\n"
        "heavy = [m for m in ('torch', 'pandas', 'django') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def _rewrite(planted: Planted, destination: Path, **changes: np.ndarray | None) -> Path:
    arrays = {name: values for name, values in planted.arrays.items() if name not in changes}
    arrays |= {name: values for name, values in changes.items() if values is not None}
    return write_artifact(destination, arrays=arrays, documents=planted.documents)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"user_vectors": np.zeros((3, 12), np.float32)}, r"user_vectors has shape \(3, 12\)"),
        (
            {"movie_vectors": np.zeros((50, 5), np.float32)},
            "user vectors are 12-d, movie vectors 5-d",
        ),
        ({"movie_bias": np.zeros(3, np.float32)}, r"movie_bias has shape \(3,\)"),
        ({"seen_movies": None}, "no array 'seen_movies'"),
        ({"seen_indptr": np.zeros(5, np.int64)}, "seen_indptr is not a row pointer"),
        ({"demographic_vectors": np.zeros((2, 7, 20, 12), np.float32)}, "demographic_vectors"),
        ({"movie_ids": np.full(50, 7)}, "movie ids are not unique"),
    ],
)
def test_inconsistent_artifacts_are_refused(
    planted: Planted, tmp_path: Path, changes: dict, message: str
) -> None:
    path = _rewrite(planted, tmp_path / "model", **changes)
    with pytest.raises(ArtifactError, match=message):
        Recommender.from_artifact(path)


def test_a_seen_index_outside_the_catalogue(planted: Planted, tmp_path: Path) -> None:
    movies = planted.arrays["seen_movies"].copy()
    movies[0] = 999
    path = _rewrite(planted, tmp_path / "model", seen_movies=movies)
    with pytest.raises(ArtifactError, match="outside the catalogue"):
        Recommender.from_artifact(path)


def test_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="no such model folder"):
        Recommender.from_artifact(tmp_path / "nothing")


def test_engine_facts(engine: Recommender) -> None:
    assert engine.genres[:3] == ["Action", "Adventure", "Animation"]
    assert engine.has_demographics
    movie = engine.movie(7)
    assert (movie.title, movie.year, movie.genres) == (
        "Heat",
        1995,
        ("Action", "Crime", "Thriller"),
    )


def _with_a_nan(values: np.ndarray) -> np.ndarray:
    spoilt = values.astype(np.float32, copy=True)
    spoilt.flat[spoilt.size // 2] = np.nan
    return spoilt


@pytest.mark.parametrize("name", ["user_vectors", "movie_vectors", "user_bias", "movie_bias"])
def test_a_non_finite_vector_or_bias_is_refused_by_name(planted: Planted, tmp_path: Path,
                                                        name: str) -> None:
    path = _rewrite(planted, tmp_path / "model", **{name: _with_a_nan(planted.arrays[name])})
    with pytest.raises(ArtifactError, match=f"{name} holds values that are not finite"):
        load_tables(read_artifact(path))


@pytest.mark.parametrize("scale", [[1, 5, 0], [1, 5, -1], [5, 5, 1], [5, 1, 1],
                                   [1, float("nan"), 1]])
def test_an_invalid_rating_scale_is_refused(planted: Planted, tmp_path: Path,
                                            scale: list[float]) -> None:
    scoring = {**planted.documents["scoring"], "rating_scale": scale}
    path = write_artifact(tmp_path / "model", arrays=planted.arrays,
                          documents={**planted.documents, "scoring": scoring})
    with pytest.raises(ArtifactError, match=r"rating_scale .* must be finite, with low < high"):
        Recommender.from_artifact(path)


@pytest.mark.parametrize("year", ["soon", "1995", 1995.5, True, -3])
def test_a_movie_year_that_is_no_whole_number_is_refused(planted: Planted, tmp_path: Path,
                                                          year: object) -> None:
    movies = [dict(record) for record in planted.documents["movies"]]
    movies[3]["year"] = year
    path = write_artifact(tmp_path / "model", arrays=planted.arrays,
                          documents={**planted.documents, "movies": movies})
    with pytest.raises(ArtifactError, match=f"movie {movies[3]['movie_id']} the year"):
        Recommender.from_artifact(path)
