"""`movierec retrain` end to end on a small synthetic release: the gate, a planted taste of the
site's accounts, the lock, and the quiet exit when nothing is new."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from synthetic_artifacts import movie_records, write_model

from movierec import paths
from movierec.artifacts import read_artifact
from movierec.cli.main import cli
from movierec.cli.publish import publish_run
from movierec.engine import Recommender
from movierec.retraining import REPORT_JSON, REPORT_MARKDOWN
from movierec.site_accounts import site_user_id
from movierec.versions import list_versions

from .conftest import SITE_START, retrain_args


def random_ratings(rng: np.random.Generator, accounts: range, per_account: int,
                   movie_ids: np.ndarray) -> list[tuple[int, int, float]]:
    return [(account, int(movie), float(rng.integers(1, 6)))
            for account in accounts
            for movie in rng.choice(movie_ids, per_account, replace=False)]


@pytest.mark.slow
def test_the_gate_refuses_a_worse_candidate_and_the_current_model_keeps_serving(
        release: Path, published: Path, site_csv, movie_ids: np.ndarray,
        rng: np.random.Generator) -> None:
    ratings = site_csv(random_ratings(rng, range(1, 21), 15, movie_ids))
    result = CliRunner().invoke(cli, retrain_args(
        release, ratings, "--set", "training.epochs=1", "--set", "ranking.epochs=1",
        "--out", str(paths.home() / "worse")))
    assert result.exit_code == 3, result.output
    assert "not published: the gate refused the candidate" in result.output
    assert paths.published_model().resolve() == published
    report = json.loads((paths.home() / "worse" / REPORT_JSON).read_text())
    assert report["passed"] is False and report["reasons"]
    assert report["site_ratings"]["count"] == 300
    assert "FAIL" in (paths.home() / "worse" / REPORT_MARKDOWN).read_text()
    # The published model came from `movierec train`: the gate compared with its preset
    # trained on the candidate's split instead, kept in the run.
    assert "without the site's accounts" in report["compared_with"]
    assert (paths.home() / "worse" / "reference-model" / "manifest.json").is_file()


@pytest.mark.slow
def test_a_retrain_learns_a_taste_shared_by_a_group_of_accounts(
        release: Path, published: Path, site_csv, movie_ids: np.ndarray,
        rng: np.random.Generator) -> None:
    liked_together = [int(movie) for movie in movie_ids[[7, 23, 41, 58, 66, 74]]]
    planted = []
    for account in range(1, 41):
        planted += [(account, movie, 5.0) for movie in rng.permutation(liked_together)]
        others = rng.choice(np.setdiff1d(movie_ids, liked_together), 10, replace=False)
        planted += [(account, int(movie), 1.0) for movie in others]
    result = CliRunner().invoke(cli, retrain_args(
        release, site_csv(planted), "--force", "--set", "training.epochs=8",
        "--out", str(paths.home() / "planted")))
    assert result.exit_code == 0, result.output
    retrained = paths.published_model().resolve()
    assert retrained != published and retrained.name.startswith("planted-"), retrained
    before, after = (_closeness(model, liked_together) for model in (published, retrained))
    assert after[0] > before[0] + 0.3, (before, after)
    assert before[1] < 1 and after[1] >= 3, (before, after)
    engine = Recommender.from_artifact(retrained)
    assert engine.knows_user(site_user_id(1))
    assert next(version.gate for version in list_versions(paths.published_model())
            if version.live)["rmse"] > 0


def _closeness(model: Path, movie_ids: list[int]) -> tuple[float, float]:
    """How close the model puts `movie_ids`: the mean cosine of their rating-space vectors,
    pair by pair, centred on the mean movie vector (every vector shares a large common part),
    and how many of each one's 5 most similar movies (`similar_movies`) are of them."""
    artifact = read_artifact(model)
    rows = np.searchsorted(artifact.array("movie_ids"), movie_ids)
    vectors = artifact.array("movie_vectors").astype(np.float64)
    centred = vectors[rows] - vectors.mean(axis=0)
    unit = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    cosine = float((unit @ unit.T)[np.triu_indices(len(movie_ids), k=1)].mean())
    engine = Recommender(artifact)
    together = np.mean([len({pick.movie_id for pick in engine.similar_movies(movie, 5)}
                            & set(movie_ids)) for movie in movie_ids])
    return cosine, float(together)


def test_a_second_retrain_stops_at_once_while_one_runs(release: Path, site_csv) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from movierec.retraining import retrain_lock\n"
         "with retrain_lock():\n"
         "    print('held', flush=True)\n"
         "    time.sleep(60)\n"],
        env={**os.environ, "MOVIEREC_HOME": str(paths.home())},
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = CliRunner().invoke(cli, retrain_args(release, site_csv([(1, 3, 4.0)])))
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 75, result.output
    assert f"another retrain is running (process {holder.pid} holds" in result.output
    assert not (paths.runs_dir()).exists()


def test_nothing_new_exits_quietly_and_writes_nothing(tmp_path: Path, site_csv) -> None:
    newest = {"count": 2, "accounts": 1, "newest": SITE_START + 60, "unknown_movies": 0}
    model = write_model(tmp_path / "model", user_ids=[1, 2], movies=movie_records([1, 2, 3]),
                        user_vectors=np.eye(2, 3), movie_vectors=np.eye(3),
                        seen=[{0: 4.0}, {1: 3.0, 2: 5.0}],
                        provenance={"dataset": "synthetic", "site_ratings": newest})
    publish_run(model)
    ratings = site_csv([(1, 1, 4.0), (1, 2, 2.0), (2, 3, 5.0), (2, 1, 1.0)])
    result = CliRunner().invoke(cli, ["retrain", "--ratings", str(ratings),
                                      "--min-new-ratings", "3"])
    assert result.exit_code == 0, result.output
    assert result.output == ("nothing to retrain: 2 site ratings newer than the published "
                             "model's (--min-new-ratings 3)\n")
    assert not paths.runs_dir().exists()


@pytest.mark.slow
def test_only_ratings_newer_than_the_published_model_count_as_new(
        release: Path, published: Path, site_csv, movie_ids: np.ndarray,
        rng: np.random.Generator) -> None:
    first = random_ratings(rng, range(1, 11), 10, movie_ids)
    result = CliRunner().invoke(cli, retrain_args(release, site_csv(first), "--force"))
    assert result.exit_code == 0, result.output
    assert read_artifact(paths.published_model()).manifest["site_ratings"]["count"] == 100
    later = site_csv([*first, (11, 3, 4.0)], name="later.csv")
    result = CliRunner().invoke(cli, retrain_args(release, later, "--min-new-ratings", "2"))
    assert result.output.startswith("nothing to retrain: 1 site ratings newer")


@pytest.mark.slow
def test_a_retrain_trains_the_published_recipe_with_its_overrides(
        release: Path, published: Path, site_csv, movie_ids: np.ndarray,
        rng: np.random.Generator) -> None:
    ratings = site_csv(random_ratings(rng, range(1, 6), 10, movie_ids))
    run = paths.home() / "recipe"
    result = CliRunner().invoke(cli, [
        "retrain", "--dataset", str(release), "--ratings", str(ratings), "--force",
        "--set", "ranking.epochs=1", "--threads", "1", "--quiet", "--out", str(run)])
    assert result.exit_code == 0, result.output
    # The published model was trained with --set training.epochs=12 --set ranking.epochs=3:
    # the first carries over, the retrain's own ranking.epochs wins over the second.
    candidate = read_artifact(run / "recipe")
    assert candidate.manifest["preset_settings"]["training_config"]["epochs"] == 12
    assert candidate.document("metrics")["ranking"]["epochs_run"] == 1
    # The gate's reference is the published recipe itself, the caller's overrides left out.
    reference = read_artifact(run / "reference-model").manifest["preset_settings"]
    assert (reference["training_config"]["epochs"], reference["ranking_config"]["epochs"]) \
        == (12, 3)
