"""The rating-history feature, read as a bounded sample in training, still carries the users'
tastes: on planted data where each user has only a few ratings (so an id embedding learns
little) and each movie many, a network with the feature beats the same network without it."""

from pathlib import Path

import pytest

from movierec.training.config import get_preset, with_overrides
from movierec.training.context import RunContext, SplitSpec
from movierec.training.run import start_run


@pytest.mark.slow
def test_sampled_histories_carry_the_planted_tastes(few_ratings_per_user: Path,
                                                    tmp_path: Path) -> None:
    base = {"network.members": 1, "training.epochs": 12, "training.patience": 0,
            "ranking": False}
    results = {}
    for name, history in (("with", {"network.history_sample": 4}),
                          ("without", {"network.history_dim": 0})):
        preset = with_overrides(get_preset("default"), {**base, **history})
        context = RunContext(tmp_path / name, seed=1, threads=1, progress=False)
        result = start_run(few_ratings_per_user, preset, SplitSpec("random", 0.2, 0), context)
        results[name] = result.metrics["final"]["test_rmse"]
    assert results["with"] < results["without"] - 0.004, results
