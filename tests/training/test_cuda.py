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
