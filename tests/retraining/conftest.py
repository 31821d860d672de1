"""A small prepared release and a model trained on it, made once per session, and site ratings
written as `manage.py export_ratings` writes them.

Each test publishes the trained run into its own MOVIEREC_HOME (publishing copies it), so one
test's retrain never changes what another serves.
"""

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from movierec import paths
from movierec.cli.main import cli
from movierec.cli.publish import publish_run
from movierec.data.features import load_features, prepare, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.site_accounts import site_user_id

QUICK = ("--set", "training.epochs=12", "--set", "ranking.epochs=3", "--threads", "1",
         "--quiet")
"""Settings of the published model's training and of a normal retrain: seconds, not minutes."""
SITE_START = 2_000_000_000
"""Site ratings are given after every synthetic dataset rating."""


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prepared ML-1M-like release (demographics, whole stars): 120 users, 80 movies."""
    root = tmp_path_factory.mktemp("release")
    synthesize(RELEASES["ml-1m"], root / "raw", users=120, movies=80, ratings=4800, seed=3)
    features = prepare(load_folder(root / "raw", RELEASES["ml-1m"]), source_checksum="synthetic")
    save_features(features, root / "prepared")
    return root / "prepared"


@pytest.fixture(scope="session")
def movie_ids(release: Path) -> np.ndarray:
    """The release's movie ids."""
    return load_features(release).movie_ids


@pytest.fixture(scope="session")
def trained(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default preset trained briefly on `release`: the model a site serves."""
    out = tmp_path_factory.mktemp("trained") / "run"
    result = CliRunner().invoke(cli, ["train", str(release), "--split", "temporal",
                                      "--out", str(out), *QUICK])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def published(trained: Path) -> Path:
    """`trained`, published in this test's MOVIEREC_HOME; the version folder it serves."""
    publish_run(trained)
    return paths.published_model().resolve()


@pytest.fixture
def site_csv(tmp_path: Path) -> Callable[[Iterable[tuple[int, int, float]]], Path]:
    """Factory: (account id, movie id, stars) triples -> an export_ratings CSV, the ratings a
    minute apart in the order given."""

    def write(ratings: Iterable[tuple[int, int, float]], name: str = "site-ratings.csv",
              start: int = SITE_START) -> Path:
        path = tmp_path / name
        with path.open("w", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["user", "movie", "rating", "timestamp"])
            for position, (account, movie, stars) in enumerate(ratings):
                writer.writerow([site_user_id(account), movie, stars, start + 60 * position])
        return path

    return write


def retrain_args(release: Path, ratings: Path, *extra: str) -> list[str]:
    """`movierec retrain` on `release` with `ratings`, quick, plus `extra`."""
    return ["retrain", "--dataset", str(release), "--ratings", str(ratings), *QUICK, *extra]
