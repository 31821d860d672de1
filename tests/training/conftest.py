"""Small synthetic releases with planted structure, prepared once per session, and fast presets.

A prepared folder is passed to training as its DATASET, exactly as a user would pass one.
"""

import dataclasses
from pathlib import Path

import pytest

from movierec.data.features import prepare, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.training.config import Preset, get_preset, with_overrides
from movierec.training.context import RunContext, SplitSpec


def _prepared(root: Path, like: str, *, users: int, movies: int, ratings: int) -> Path:
    raw, prepared = root / f"raw-{like}", root / f"prepared-{like}"
    synthesize(RELEASES[like], raw, users=users, movies=movies, ratings=ratings, seed=7)
    features = prepare(load_folder(raw, RELEASES[like]), source_checksum=f"synthetic-{like}")
    save_features(features, prepared)
    return prepared


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared ML-1M-like release (demographics, whole stars): 200 users, 150 movies."""
    return _prepared(tmp_path_factory.mktemp("planted"), "ml-1m", users=200, movies=150,
                     ratings=9000)


@pytest.fixture(scope="session")
def planted_plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared ML-10M-like release: no demographics, half stars."""
    return _prepared(tmp_path_factory.mktemp("plain"), "ml-10m", users=120, movies=100,
                     ratings=4000)


@pytest.fixture(scope="session")
def few_ratings_per_user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared ML-1M-like release where an id embedding learns little: 600 users with 20
    ratings each, 60 movies with ~200 each."""
    return _prepared(tmp_path_factory.mktemp("few"), "ml-1m", users=600, movies=60,
                     ratings=12_000)


@pytest.fixture
def quick_seed() -> Preset:
    """The seed network, trained just long enough to exercise every part of a run."""
    return with_overrides(get_preset("seed"), {"epochs": 2, "vector_dim": 16})


@pytest.fixture
def quick_default() -> Preset:
    """The default preset, short: validation, early stopping and the schedule all active, and
    two epochs of the ranking head."""
    preset = with_overrides(get_preset("default"), {"ranking.epochs": 2})
    return dataclasses.replace(
        preset, training=dataclasses.replace(preset.training, epochs=4, patience=2)
    )


@pytest.fixture
def split() -> SplitSpec:
    return SplitSpec("random", 0.2, 0)


@pytest.fixture
def context(tmp_path: Path) -> RunContext:
    return RunContext(tmp_path / "run", seed=3, threads=1, progress=False)
