"""Training on several workers: `movierec train --nproc 2` on tiny synthetic data, end to end
(gloo on the CPU), as a user runs it: the artifact, Ctrl-C and --resume, a worker that dies,
and the mistakes the launcher catches before it starts anything."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from movierec.artifacts import read_artifact
from movierec.cli.main import cli
from movierec.cli.train import train, worker_arguments
from movierec.engine import Recommender

QUICK = ["--preset", "default", "--set", "training.epochs=2", "--set", "ranking.epochs=1",
         "--set", "new_users.epochs=1", "--threads", "1", "--device", "cpu", "--quiet"]
"""The default preset, short: every kind of parameter the gradients are summed for (id
tables, history tables, biases, dense layers) in both heads."""
LONG = ["--preset", "seed", "--set", "training.epochs=40", "--batch-size", "16",
        "--set", "network.vector_dim=16", "--threads", "1", "--device", "cpu", "--quiet"]
"""The seed network, long enough to be stopped in the middle (each epoch a few hundred
steps)."""


def movierec(*arguments: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "movierec", *arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})


def finished(process: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in listed.stdout.split()]


def test_two_workers_write_one_artifact_that_the_engine_serves(planted: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "two"
    code, stdout, stderr = finished(movierec("train", str(planted), *QUICK, "--nproc", "2",
                                             "--out", str(out)))
    assert code == 0, stderr
    assert stdout.count("model written to") == 1  # the first worker speaks, once
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["workers"]["count"] == 2 and metrics["workers"]["backend"] == "gloo"
    assert metrics["workers"]["bytes_per_step"] > 0
    assert metrics["ranking"]["workers"]["count"] == 2
    engine = Recommender.from_artifact(out)
    user = int(read_artifact(out).array("user_ids")[0])
    assert len(engine.for_user(user, n=5)) == 5
    assert 0.5 < metrics["final"]["test_rmse"] < 1.5


@pytest.mark.slow  # three 2-worker runs, ~40 s
def test_a_two_worker_run_stopped_by_ctrl_c_resumes_to_the_uninterrupted_result(
        planted: Path, tmp_path: Path) -> None:
    epochs = ["--set", "training.epochs=3"]
    straight = tmp_path / "straight"
    code, _, stderr = finished(movierec("train", str(planted), *LONG, *epochs, "--nproc", "2",
                                        "--out", str(straight)))
    assert code == 0, stderr
    stopped = tmp_path / "stopped"
    launcher = movierec("train", str(planted), *LONG, *epochs, "--nproc", "2",
                        "--out", str(stopped))
    wait_for(stopped / "checkpoint.pt", launcher)
    launcher.send_signal(signal.SIGINT)
    code, _, stderr = finished(launcher)
    assert code == 130, stderr
    assert "the checkpoint is saved" in stderr and "--nproc 2 --resume" in stderr
    assert stderr.count("the checkpoint is saved") == 1
    assert "Traceback" not in stderr
    assert not (stopped / "weights.safetensors").exists()
    code, _, stderr = finished(movierec("train", str(planted), "--out", str(stopped),
                                        "--resume", "--threads", "1", "--device", "cpu"))
    assert code == 2 and "resume it on as many (--nproc 2)" in stderr
    code, _, stderr = finished(movierec("train", str(planted), "--out", str(stopped),
                                        "--nproc", "2", "--resume", "--threads", "1",
                                        "--device", "cpu", "--quiet"))
    assert code == 0, stderr
    assert ((stopped / "weights.safetensors").read_bytes()
            == (straight / "weights.safetensors").read_bytes())


@pytest.mark.slow  # a 2-worker run up to its first checkpoint, ~15 s
def test_a_worker_that_dies_stops_every_worker_with_a_message(planted: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "run"
    launcher = movierec("train", str(planted), *LONG, "--nproc", "2", "--out", str(out))
    wait_for(out / "checkpoint.pt", launcher)
    workers = children(launcher.pid)
    assert len(workers) == 2
    os.kill(workers[-1], signal.SIGKILL)
    code, _, stderr = finished(launcher, timeout=60)
    assert code == 1
    assert "was killed by SIGKILL; the run stopped on every worker" in stderr
    assert "continue with the same command and --resume" in stderr
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


@pytest.mark.parametrize(("arguments", "message"), [
    (["--nproc", "0"], "give at least 1 worker"),
    (["--nproc", "4096"], "use at most"),
    (["--nproc", "2", "--resume"], "no checkpoint to resume from"),
])
def test_the_launcher_refuses_what_would_fail_before_starting_a_worker(
        planted: Path, tmp_path: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["train", str(planted), "--out", str(tmp_path / "x"),
                                      "--device", "cpu", *arguments])
    assert result.exit_code == 2
    assert message in result.output


def test_a_torchrun_worker_needs_an_out_folder_and_no_nproc(planted: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "2")
    result = CliRunner().invoke(cli, ["train", str(planted), "--device", "cpu"])
    assert result.exit_code == 2 and "needs --out" in result.output
    result = CliRunner().invoke(cli, ["train", str(planted), "--device", "cpu", "--out", "x",
                                      "--nproc", "2"])
    assert result.exit_code == 2 and "drop --nproc" in result.output


def test_workers_are_given_the_users_arguments_with_one_out_folder(tmp_path: Path) -> None:
    seen: dict[str, list[str]] = {}

    @click.command(params=train.params)
    @click.pass_context
    def probe(ctx, **_) -> None:
        seen["arguments"] = worker_arguments(ctx, tmp_path / "run")

    CliRunner().invoke(probe, ["ml-1m", "--set", "training.epochs=3", "--set", "ranking=false",
                               "--split-files", "a.csv", "b.csv", "--nproc", "2", "--quiet",
                               "--lr", "0.01"], catch_exceptions=False)
    assert seen["arguments"] == ["ml-1m", "--set", "training.epochs=3", "--set",
                                 "ranking=false", "--lr", "0.01", "--split-files", "a.csv",
                                 "b.csv", "--quiet", "--out", str(tmp_path / "run")]


def test_alone_the_histories_are_refreshed_as_often_as_the_preset_says(
        planted: Path, quick_default, split, context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of one keeps refreshing by its own reads (the workers' shared count is only for
    runs of several)."""
    from movierec.model.history import RatingHistory
    from movierec.training.config import with_overrides
    from movierec.training.run import start_run

    calls: list[int] = []
    original = RatingHistory.refresh

    def counted(self: RatingHistory) -> None:
        calls.append(id(self))
        original(self)

    monkeypatch.setattr(RatingHistory, "refresh", counted)
    preset = with_overrides(quick_default, {"ranking": "false", "network.members": 1,
                                            "training.epochs": 1, "training.batch_size": 64})
    start_run(planted, preset, split, context)
    # One member: a user and a movie history, each refreshed `refreshes` times an epoch.
    assert len(set(calls)) == 2
    assert len(calls) >= 2 * preset.network.history_refreshes
