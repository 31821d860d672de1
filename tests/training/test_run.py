"""Whole runs on planted synthetic data: what is learnt, what is written, and reproducibility."""

import dataclasses
import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from movierec.artifacts import ARRAYS, DOCUMENTS, MANIFEST, ArtifactError, read_artifact
from movierec.cli.main import cli
from movierec.cli.predict import predict
from movierec.cli.train import train
from movierec.data.features import load_features
from movierec.data.splits import random_split
from movierec.model.ensemble import members_of
from movierec.run_log import append_record, rewrite_log
from movierec.training.config import Preset, with_overrides
from movierec.training.context import RunContext, SplitSpec
from movierec.training.loop import TrainingDiverged
from movierec.training.progress import EpochBar
from movierec.training.restore import load_network, load_ranking_network
from movierec.training.run import start_run
from movierec.training.trainer import RatingTrainer
from movierec.training.vectors import tower_vectors

pytestmark = pytest.mark.slow  # whole training runs, up to 20 s each


def test_default_preset_learns_the_planted_structure(
    planted: Path, quick_default: Preset, split: SplitSpec, context: RunContext
) -> None:
    preset = dataclasses.replace(quick_default, training=dataclasses.replace(
        quick_default.training, epochs=15, patience=3))
    result = start_run(planted, preset, split, context)
    features = load_features(planted)
    parts = random_split(features.ratings, 0.2, 0)
    mean_rmse = float(np.sqrt(np.mean(
        (parts.test["rating"].to_numpy() - parts.train["rating"].mean()) ** 2)))
    assert result.metrics["final"]["test_rmse"] < 0.85 * mean_rmse
    # Early stopping watched the validation part, which lies inside the training part.
    split_document = read_artifact(result.out).document("split")
    assert split_document["validation"] > 0
    assert split_document["train"] + split_document["test"] == len(features.ratings)


def test_the_artifact_holds_every_name_the_engine_reads(
    planted: Path, quick_seed: Preset, context: RunContext
) -> None:
    # Histories, a ranking head, a new-user head and held-out users: every optional array is
    # there too.
    with_head = with_overrides(quick_seed, {"ranking": "true", "ranking_epochs": 1,
                                            "history_dim": 8, "new_users.enabled": "true",
                                            "new_users.epochs": 1})
    out = start_run(planted, with_head, SplitSpec("user-holdout", 0.2, 42), context).out
    artifact = read_artifact(out)
    features = load_features(planted)
    users, movies = len(features.user_ids), len(features.movie_ids)
    assert set(ARRAYS) <= set(artifact.arrays)
    assert set(DOCUMENTS) <= set(artifact.documents)
    assert artifact.array("user_vectors").shape == (users, 16)
    assert artifact.array("movie_vectors").shape == (movies, 16)
    assert artifact.array("demographic_vectors").shape == (2, 7, 21, 16)
    # The ranking head has the rating towers' widths, and its weights travel along.
    assert artifact.array("ranking_user_vectors").shape == (users, 16)
    assert artifact.array("ranking_movie_vectors").shape == (movies, 16)
    assert artifact.array("ranking_new_user_base").shape == (2, 7, 21, 16)
    assert artifact.array("ranking_new_user_history_implicit").shape == (1, movies, 8)
    assert artifact.array("ranking_new_user_history_weights").shape == (1, 16, 8)
    assert (out / "ranking-weights.safetensors").is_file()
    assert artifact.document("config")["ranking"]["settings"]["epochs"] == 1
    assert artifact.document("metrics")["ranking"]["epochs_run"] == 1
    assert artifact.array("user_demographics").shape == (users, 3)
    assert artifact.array("new_user_implicit").shape == (16, 16)
    assert artifact.array("new_user_prior").shape == (movies,)
    assert artifact.array("new_user_occupation").shape == (21, 16)
    held_out = artifact.array("new_user_ratings")
    assert len(np.unique(held_out[:, 0])) == users // 5
    assert not artifact.array("user_bias").any()  # the seed has no biases
    scoring = artifact.document("scoring")
    assert scoring["global_bias"] == 0.0 and scoring["rating_scale"] == [1.0, 5.0, 1.0]
    assert 1 < scoring["ranking_rating_offset"] < 5
    indptr = artifact.array("seen_indptr")
    assert indptr.shape == (users + 1,)
    # Every rating is in exactly one part: training, the known users' last ones, held out.
    assert indptr[-1] == len(artifact.array("seen_movies"))
    tested = len(artifact.array("test_triples"))
    assert indptr[-1] + tested + len(held_out) == len(features.ratings)
    assert tested == users - users // 5
    assert artifact.manifest["dataset"] == "ml-1m"
    assert artifact.manifest["data_checksum"] == features.data_checksum
    assert artifact.manifest["preset"] == "seed"
    assert artifact.document("config")["network"]["vector_dim"] == 16
    assert artifact.document("movies")[0]["movie_id"] == int(features.movie_ids[0])
    log = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [record["epoch"] for record in log] == [1, 2]
    assert {"train_rmse", "train_mae", "train_loss", "test_rmse", "test_loss"} <= set(log[0])
    assert (out / "loss-curves.png").read_bytes()[:4] == b"\x89PNG"


def test_demographic_vectors_use_the_mean_id_embedding(
    planted: Path, quick_seed: Preset, split: SplitSpec, context: RunContext
) -> None:
    out = start_run(planted, quick_seed, split, context).out
    network = load_network(out)
    mean_id = network.user.embedding.weight.mean(dim=0, keepdim=True)
    codes = (torch.tensor([1]), torch.tensor([3]), torch.tensor([17]))
    with torch.no_grad():
        expected = network.user.vectors(mean_id, codes)[0].numpy()
    vectors = read_artifact(out).array("demographic_vectors")
    np.testing.assert_allclose(vectors[1, 3, 17], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("members", [1, 2])
def test_predict_cli_gives_what_the_network_gives(
    planted: Path, quick_default: Preset, split: SplitSpec, context: RunContext, tmp_path: Path,
    members: int,
) -> None:
    preset = with_overrides(quick_default, {"members": members})
    out = start_run(planted, preset, split, context).out
    features = load_features(planted)
    network = load_network(out)
    triples = read_artifact(out).array("test_triples")[:50]
    users, movies = triples[:, 0].astype(np.int64), triples[:, 1].astype(np.int64)
    with torch.no_grad():
        expected = network(torch.as_tensor(users), torch.as_tensor(movies)).clamp(1, 5).numpy()
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("user,movie\n" + "".join(
        f"{features.user_ids[u]},{features.movie_ids[m]}\n"
        for u, m in zip(users, movies, strict=True)))
    result = CliRunner().invoke(predict, ["--model", str(out), "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    predicted = np.array([float(line.split(",")[2]) for line in result.stdout.splitlines()[1:]])
    np.testing.assert_allclose(predicted, expected, atol=1e-4)


def test_a_truncated_or_tampered_artifact_is_refused(
    planted: Path, quick_seed: Preset, split: SplitSpec, context: RunContext
) -> None:
    out = start_run(planted, quick_seed, split, context).out
    weights = out / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:-10])
    with pytest.raises(ArtifactError, match=r"weights\.safetensors"):
        read_artifact(out)
    with pytest.raises(ArtifactError):
        load_network(out)


def test_the_model_folder_alone_rebuilds_both_heads(
    planted: Path, quick_default: Preset, split: SplitSpec, context: RunContext, tmp_path: Path
) -> None:
    out = start_run(planted, quick_default, split, context).out
    moved = tmp_path / "elsewhere"
    shutil.copytree(out, moved)  # no prepared release beside it: the folder must do
    artifact = read_artifact(moved)
    for load, prefix in ((load_network, ""), (load_ranking_network, "ranking_")):
        users, movies = tower_vectors(load(moved))
        np.testing.assert_allclose(users.numpy(), artifact.array(f"{prefix}user_vectors"),
                                   atol=1e-5)
        np.testing.assert_allclose(movies.numpy(), artifact.array(f"{prefix}movie_vectors"),
                                   atol=1e-5)


def test_an_artifact_of_an_older_format_is_refused_with_what_to_do(
    planted: Path, quick_seed: Preset, split: SplitSpec, context: RunContext
) -> None:
    out = start_run(planted, quick_seed, split, context).out
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))
    with pytest.raises(ArtifactError, match=r"format version 1.*retrain"):
        load_network(out)


def test_a_fixed_seed_gives_identical_results(
    planted: Path, quick_default: Preset, split: SplitSpec, tmp_path: Path
) -> None:
    runs = [
        start_run(planted, quick_default, split,
                  RunContext(tmp_path / name, seed=5, threads=1, progress=False))
        for name in ("first", "second")
    ]
    assert runs[0].history == [
        {**record, "seconds": runs[0].history[index]["seconds"]}
        for index, record in enumerate(runs[1].history)
    ]
    first, second = (read_artifact(run.out) for run in runs)
    assert (runs[0].out / "weights.safetensors").read_bytes() == (
        runs[1].out / "weights.safetensors").read_bytes()
    np.testing.assert_array_equal(first.array("user_vectors"), second.array("user_vectors"))


@pytest.mark.parametrize("preset_name", ["quick_seed", "quick_default"])
def test_a_release_without_demographics_trains(
    planted_plain: Path, preset_name: str, split: SplitSpec, context: RunContext,
    request: pytest.FixtureRequest,
) -> None:
    preset: Preset = request.getfixturevalue(preset_name)
    result = start_run(planted_plain, preset, split, context)
    artifact = read_artifact(result.out)
    assert "demographic_vectors" not in artifact.arrays
    assert "user_demographics" not in artifact.arrays
    assert artifact.document("scoring")["rating_scale"] == [0.5, 5.0, 0.5]
    assert np.isfinite(result.metrics["final"]["test_rmse"])
    network = load_network(result.out)
    for member in members_of(network):
        assert not hasattr(member.user, "gender")
        if preset_name == "quick_seed":
            assert member.user.output.in_features == 32  # the id's dense features alone


def test_progress_off_a_terminal_is_one_plain_line_per_epoch(planted: Path,
                                                               tmp_path: Path) -> None:
    # CliRunner's stderr is not a terminal, as a log file or a pipe would not be.
    result = CliRunner().invoke(train, [
        str(planted), "--preset", "default", "--set", "training.epochs=2",
        "--set", "network.members=2", "--set", "ranking.epochs=2", "--out", str(tmp_path / "m"),
        "--threads", "1",
    ])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(" | ")[0] for line in lines[:-1]] == [
        "rating head, 2 members: epoch 1 of at most 2",
        "rating head, 2 members: epoch 2 of at most 2",
        "ranking head: epoch 1 of 2",
        "ranking head: epoch 2 of 2",
    ]
    assert lines[-1].startswith("new-user head: 200 users' first ratings, 10 epochs (")
    assert "validation rmse" in lines[0] and "phase ETA at most" in lines[0]
    assert "train loss" in lines[2] and "phase ETA" in lines[2]


def test_on_a_terminal_an_epoch_has_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = EpochBar("ranking head: epoch 2 of 10", 4, finished=[60.0], epochs_after=8,
                   may_stop_early=False, enabled=True)
    for done in range(1, 5):
        bar.update(done, torch.tensor(0.5))
    bar.close()
    shown = terminal.getvalue()
    assert "ranking head: epoch 2 of 10" in shown
    assert "loss 0.5000, phase ETA 8m00s" in shown


def _diverge_in_epoch(monkeypatch: pytest.MonkeyPatch, epoch: int) -> None:
    """Make the running loss of `epoch` NaN, as an exploding step would."""
    summarise = RatingTrainer._summarise

    def diverging(self: RatingTrainer, sums: list[float], count: int) -> dict[str, float]:
        figures = summarise(self, sums, count)
        if self.epochs_done + 1 == epoch:
            figures["loss"] = float("nan")
        return figures

    monkeypatch.setattr(RatingTrainer, "_summarise", diverging)


def test_a_loss_that_turns_nan_stops_training_without_a_model(
    planted: Path, quick_seed: Preset, split: SplitSpec, context: RunContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _diverge_in_epoch(monkeypatch, 2)
    with pytest.raises(TrainingDiverged, match="training loss of epoch 2 is nan"):
        start_run(planted, quick_seed, split, context)
    out = Path(context.out)
    assert not (out / MANIFEST).exists()
    with pytest.raises(ArtifactError):
        read_artifact(out)
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [record["epoch"] for record in records] == [1]


def test_the_train_command_says_in_one_line_that_the_loss_diverged(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _diverge_in_epoch(monkeypatch, 1)
    out = tmp_path / "m"
    result = CliRunner().invoke(cli, ["train", str(planted), "--preset", "seed", "--epochs",
                                      "2", "--set", "vector_dim=4", "--threads", "1", "--quiet",
                                      "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("error: rating head: the training loss of epoch 1 is nan")
    assert "Traceback" not in result.output and "model written" not in result.output
    assert not (out / MANIFEST).exists()


def test_the_epoch_log_is_strict_json(tmp_path: Path) -> None:
    log = tmp_path / "metrics.jsonl"
    append_record(log, {"epoch": 1, "test_rmse": float("nan"), "train_loss": 0.5})
    assert json.loads(log.read_text(), parse_constant=pytest.fail)["test_rmse"] is None
    rewrite_log(log, [{"epoch": 1, "test_rmse": float("inf")}])
    assert json.loads(log.read_text(), parse_constant=pytest.fail) == {
        "epoch": 1, "test_rmse": None}
