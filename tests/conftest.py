"""Fixtures shared by the whole suite: an isolated data folder, a seeded rng, synthetic releases."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize

REAL_ML100K = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ml-100k.zip"


@pytest.fixture(autouse=True)
def movierec_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    """Every test gets its own empty MOVIEREC_HOME, so none touches a real data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MOVIEREC_HOME", str(home))
    return home


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


@pytest.fixture
def synthetic_release(tmp_path: Path) -> Callable[..., Path]:
    """Factory: write a small synthetic release in `name`'s layout and return its folder."""

    def make(name: str = "ml-1m", *, users: int = 60, movies: int = 80, ratings: int = 2400,
             seed: int = 0) -> Path:
        folder = tmp_path / f"synthetic-{name}-{seed}"
        synthesize(RELEASES[name], folder, users=users, movies=movies, ratings=ratings, seed=seed)
        return folder

    return make


@pytest.fixture
def real_ml100k() -> Path:
    """The real ML-100K archive beside the project; skips the test where it is absent."""
    if not REAL_ML100K.is_file():
        pytest.skip(f"{REAL_ML100K} is absent")
    return REAL_ML100K
