"""Stopping and resuming: a resumed run ends exactly where an uninterrupted one does."""

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from movierec.cli.train import INTERRUPTED_EXIT, train
from movierec.errors import UsageError
from movierec.training.checkpoint import CHECKPOINT, load_checkpoint
from movierec.training.config import Preset, with_overrides
from movierec.training.context import RunContext, SplitSpec
from movierec.training.loop import TrainingInterrupted
from movierec.training.run import resume_run, start_run

pytestmark = pytest.mark.slow  # interrupted and resumed runs, up to 10 s each


def stop_at(epoch: int, batch: int):
    """A batch callback that presses Ctrl-C at (epoch, batch)."""

    def callback(current_epoch: int, current_batch: int) -> None:
        if (current_epoch, current_batch) == (epoch, batch):
            raise KeyboardInterrupt

    return callback


def weights(out: Path) -> bytes:
    return (out / "weights.safetensors").read_bytes()


def ranking_weights(out: Path) -> bytes:
    return (out / "ranking-weights.safetensors").read_bytes()


def history_without_time(out: Path) -> list[dict]:
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    return [{k: v for k, v in record.items() if k != "seconds"} for record in records]


def test_two_epochs_then_resume_to_four_equals_four(
    planted: Path, quick_seed: Preset, split: SplitSpec, tmp_path: Path
) -> None:
    four = with_overrides(quick_seed, {"epochs": 4})
    straight = start_run(planted, four, split,
                         RunContext(tmp_path / "straight", threads=1, progress=False))
    stopped = RunContext(tmp_path / "stopped", threads=1, progress=False)
    start_run(planted, with_overrides(quick_seed, {"epochs": 2}), split, stopped)
    resumed = resume_run(planted, stopped, epochs=4)
    assert weights(resumed.out) == weights(straight.out)
    assert history_without_time(resumed.out) == history_without_time(straight.out)


def straight_and_stopped(planted: Path, preset: Preset, split: SplitSpec, tmp_path: Path,
                         stopped_with: str, **callbacks: list) -> tuple[Path, RunContext]:
    """An uninterrupted run's folder, and the context of the same run stopped by `callbacks`
    (RunContext fields) with a message matching `stopped_with`."""
    straight = start_run(planted, preset, split,
                         RunContext(tmp_path / "straight", threads=1, progress=False))
    stopped = RunContext(tmp_path / "stopped", threads=1, progress=False, **callbacks)
    with pytest.raises(TrainingInterrupted, match=stopped_with):
        start_run(planted, preset, split, stopped)
    return straight.out, stopped


def test_ctrl_c_mid_epoch_saves_a_checkpoint_and_resume_is_exact(
    planted: Path, quick_default: Preset, split: SplitSpec, tmp_path: Path
) -> None:
    straight, stopped = straight_and_stopped(planted, quick_default, split, tmp_path,
                                             "during epoch 2 after batch 3",
                                             batch_callbacks=[stop_at(epoch=2, batch=3)])
    checkpoint = load_checkpoint(stopped.out / CHECKPOINT)
    assert checkpoint["phase"] == "rating"
    assert checkpoint["loop"]["epoch"] == 1
    assert checkpoint["trainer"]["position"] == 3
    assert not (stopped.out / "manifest.json").exists()  # not an artifact yet
    resumed = resume_run(planted, dataclasses.replace(stopped, batch_callbacks=()))
    assert weights(resumed.out) == weights(straight)
    assert history_without_time(resumed.out) == history_without_time(straight)
    assert ranking_weights(resumed.out) == ranking_weights(straight)


def test_cli_ctrl_c_says_how_to_resume(planted: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import movierec.training.context as run_context

    original = run_context.RunContext

    def interrupting(*args, **kwargs):
        return original(*args, **{**kwargs, "batch_callbacks": [stop_at(1, 2)]})

    monkeypatch.setattr(run_context, "RunContext", interrupting)
    out = tmp_path / "run"
    result = CliRunner().invoke(train, [str(planted), "--preset", "seed", "--out", str(out),
                                        "--threads", "1", "--quiet", "--set", "vector_dim=8"])
    assert result.exit_code == INTERRUPTED_EXIT
    assert "--resume" in result.stderr and str(out) in result.stderr
    assert (out / CHECKPOINT).is_file()
    monkeypatch.setattr(run_context, "RunContext", original)
    result = CliRunner().invoke(train, [str(planted), "--out", str(out), "--resume", "--quiet",
                                        "--threads", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file()


def test_resume_refuses_changed_settings(planted: Path, quick_default: Preset,
                                         split: SplitSpec, tmp_path: Path) -> None:
    context = RunContext(tmp_path / "run", threads=1, progress=False,
                         batch_callbacks=[stop_at(1, 1)])
    with pytest.raises(TrainingInterrupted):
        start_run(planted, quick_default, split, context)
    result = CliRunner().invoke(train, [str(planted), "--out", str(context.out), "--resume",
                                        "--lr", "0.1"])
    assert isinstance(result.exception, UsageError)
    assert "--lr" in str(result.exception)
    with pytest.raises(UsageError, match="cosine schedule"):
        resume_run(planted, dataclasses.replace(context, batch_callbacks=()), epochs=9)
    with pytest.raises(UsageError, match="already holds a run"):
        start_run(planted, quick_default, split, context)


def test_resume_cannot_shorten_a_run(planted: Path, quick_seed: Preset, split: SplitSpec,
                                     tmp_path: Path) -> None:
    context = RunContext(tmp_path / "run", threads=1, progress=False,
                         batch_callbacks=[stop_at(2, 1)])
    with pytest.raises(TrainingInterrupted):
        start_run(planted, with_overrides(quick_seed, {"epochs": 3}), split, context)
    with pytest.raises(UsageError, match="already started epoch 2"):
        resume_run(planted, dataclasses.replace(context, batch_callbacks=()), epochs=1)


def test_ctrl_c_in_the_ranking_phase_resumes_there_exactly(
    planted: Path, quick_default: Preset, split: SplitSpec, tmp_path: Path
) -> None:
    straight, stopped = straight_and_stopped(
        planted, quick_default, split, tmp_path, "during ranking epoch 2 after batch 2",
        ranking_batch_callbacks=[stop_at(epoch=2, batch=2)])
    checkpoint = load_checkpoint(stopped.out / CHECKPOINT)
    assert checkpoint["phase"] == "ranking"
    assert checkpoint["ranking_loop"]["epoch"] == 1
    with pytest.raises(UsageError, match="without --epochs"):
        resume_run(planted, stopped, epochs=9)
    resumed = resume_run(planted, dataclasses.replace(stopped, ranking_batch_callbacks=()))
    # The rating head is not trained again, and the ranking head ends where it would have.
    assert weights(resumed.out) == weights(straight)
    assert history_without_time(resumed.out) == history_without_time(straight)
    assert ranking_weights(resumed.out) == ranking_weights(straight)
    log = (resumed.out / "ranking-metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in log] == [1, 2]


@pytest.mark.parametrize("content", [b"", b"hello world\n", b"\x80\x02}q\x00."])
def test_resume_from_a_file_that_is_no_checkpoint_is_refused(tmp_path: Path, content: bytes
                                                             ) -> None:
    path = tmp_path / CHECKPOINT
    path.write_bytes(content)
    with pytest.raises(UsageError, match="not a movierec checkpoint"):
        load_checkpoint(path)
