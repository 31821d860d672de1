"""The whole run on a GPU: both heads train there and the artifact is the same format a CPU run
writes. Runs only where CUDA is present (never in CI, which has no GPU)."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

from movierec.artifacts import read_artifact
from movierec.engine import Recommender
from movierec.training.config import Preset
from movierec.training.context import RunContext, SplitSpec
from movierec.training.restore import load_network
from movierec.training.run import start_run

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_a_run_on_the_gpu_exports_an_artifact_the_engine_serves(
    planted: Path, quick_default: Preset, split: SplitSpec, context: RunContext
) -> None:
    result = start_run(planted, quick_default, split, dataclasses.replace(context,
                                                                          device="cuda"))
    assert result.metrics["device"].startswith("cuda")
    assert np.isfinite(result.metrics["final"]["test_rmse"])
    engine = Recommender.from_artifact(result.out)
    user = int(read_artifact(result.out).array("user_ids")[0])
    assert len(engine.for_user(user, n=5)) == 5
    assert next(load_network(result.out).parameters()).device.type == "cpu"


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs two CUDA GPUs")
def test_two_workers_on_two_gpus_train_over_nccl(planted: Path, tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    out = tmp_path / "nccl"
    subprocess.run([sys.executable, "-m", "movierec", "train", str(planted), "--set",
                    "training.epochs=2", "--set", "ranking.epochs=1", "--device", "cuda",
                    "--nproc", "2", "--out", str(out), "--quiet"], check=True, timeout=600)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["workers"] == metrics["workers"] | {"count": 2, "backend": "nccl"}
    assert metrics["device"].startswith("cuda")
    user = int(read_artifact(out).array("user_ids")[0])
    assert len(Recommender.from_artifact(out).for_user(user, n=5)) == 5
