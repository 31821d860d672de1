"""The new-user head: it learns from first ratings what comes next, and a user-holdout run
measures it against the baselines end to end."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from click.testing import CliRunner

from movierec.artifacts import read_artifact
from movierec.cli.data_split import split
from movierec.cli.evaluate import evaluate
from movierec.engine import Recommender
from movierec.evaluation.model_eval import EvaluationSettings, evaluate_model
from movierec.model.new_user_head import NewUserHead
from movierec.training.config import NewUserConfig, Preset, get_preset, with_overrides
from movierec.training.context import RunContext, SplitSpec
from movierec.training.new_user_trainer import fit_new_user_head
from movierec.training.run import start_run

PER_TASTE = 10


def two_tastes(rng: np.random.Generator) -> pd.DataFrame:
    """Movies 0-9 and 10-19 are two kinds; each user starts with two of their kind and then
    likes more of it, and rates a few of the other kind 2 stars."""
    rows = []
    for user in range(200):
        own, other = (0, 10) if user % 2 else (10, 0)
        liked = own + rng.permutation(PER_TASTE)[:7]
        disliked = other + rng.permutation(PER_TASTE)[:2]
        movies = [*liked[:2], *disliked, *liked[2:]]
        stars = [5.0, 5.0, 2.0, 2.0, 5.0, 5.0, 5.0, 5.0, 5.0]
        rows += [(user, movie, star, time) for time, (movie, star) in
                 enumerate(zip(movies, stars, strict=True))]
    return pd.DataFrame(rows, columns=["user_index", "movie_index", "rating", "timestamp"])


def test_the_head_learns_that_a_first_rating_says_what_comes_next() -> None:
    rng = np.random.default_rng(3)
    vectors = torch.zeros(2 * PER_TASTE, 4)
    vectors[:PER_TASTE, 0] = 1.0
    vectors[PER_TASTE:, 1] = 1.0
    vectors += 0.05 * torch.randn(vectors.shape, generator=torch.Generator().manual_seed(0))
    config = NewUserConfig(epochs=30, max_profile=4)
    phase = fit_new_user_head(vectors, two_tastes(rng), config, liked=4.0, who=None, seed=0)
    head: NewUserHead = phase.head
    prior = torch.tensor(phase.prior)
    with torch.no_grad():
        for first, kind in ((0, slice(0, PER_TASTE)), (PER_TASTE, slice(PER_TASTE, None))):
            scaled = vectors / phase.scale
            stars = torch.tensor([[5.0 - phase.rating_offset]])
            user = head.user_vectors(scaled, torch.tensor([[first]]), stars, torch.tensor([1]))
            scores = head.scores(user, scaled, prior)[0]
            scores[first] = -torch.inf
            top = set(scores.topk(PER_TASTE - 1).indices.tolist())
            assert top == set(range(2 * PER_TASTE)[kind]) - {first}
    # The prior is every movie's liked ratings, counted once.
    ratings = two_tastes(np.random.default_rng(3))
    liked = np.bincount(ratings["movie_index"][ratings["rating"] >= 4], minlength=2 * PER_TASTE)
    np.testing.assert_allclose(phase.prior, np.log1p(liked), rtol=1e-6)
    assert phase.metrics["users"] == 200


@pytest.fixture(scope="module")
def holdout_run(planted: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    context = RunContext(tmp_path_factory.mktemp("holdout") / "run", seed=1, threads=1,
                         progress=False)
    quick = with_overrides(get_preset("default"), {"training.epochs": 2, "ranking.epochs": 1,
                                                   "network.members": 1,
                                                   "new_users.epochs": 3})
    return start_run(planted, quick, SplitSpec("user-holdout", 0.2, 42), context).out


def test_a_user_holdout_run_serves_new_users_from_the_head(holdout_run: Path) -> None:
    engine = Recommender.from_artifact(holdout_run)
    artifact = read_artifact(holdout_run)
    assert artifact.document("scoring")["new_users"]["shrink"] > 0
    first = int(artifact.array("movie_ids")[0])
    results = engine.for_new_user({first: 5}, n=5)
    assert len(results) == 5 and first not in {r.movie_id for r in results}
    assert {r.reason.kind for r in results} <= {"rated_similar", "widely_liked"}


def test_evaluation_measures_the_new_users_beside_the_baselines(holdout_run: Path) -> None:
    document = evaluate_model(holdout_run, settings=EvaluationSettings(protocol="user-holdout"))
    section = document["new_users"]
    assert section["profile_sizes"] == [1, 2, 3, 5, 10]
    assert set(section["results"]) == {"model", "popularity", "item_knn_cosine", "ease",
                                        "liked_popularity"}
    for by_size in section["results"].values():
        assert set(by_size) == {"1", "2", "3", "5", "10"}
        assert all(0 <= metrics["ndcg"] <= 1 for metrics in by_size.values())
    assert 0 < section["users_evaluated"] <= 40
    # The known users' part is their last ratings.
    assert document["split"]["protocol"]["name"] == "user-holdout"


def test_the_cli_prints_the_new_user_curve(holdout_run: Path) -> None:
    result = CliRunner().invoke(evaluate, ["--model", str(holdout_run), "--protocol",
                                           "user-holdout", "--no-report"])
    assert result.exit_code == 0, result.output
    assert "New users (user holdout)" in result.output
    assert "| k=1 | k=2 | k=3 | k=5 | k=10 | mean |" in result.output


def test_a_model_without_held_out_users_says_how_to_get_one(
    planted: Path, quick_seed: Preset, context: RunContext
) -> None:
    out = start_run(planted, quick_seed, SplitSpec("random", 0.2, 0), context).out
    result = CliRunner().invoke(evaluate, ["--model", str(out), "--protocol", "user-holdout"])
    assert result.exit_code != 0
    assert "--split user-holdout" in result.output
    assert "Traceback" not in result.output


def test_data_split_writes_the_held_out_users_for_outside_tools(planted: Path,
                                                                tmp_path: Path) -> None:
    result = CliRunner().invoke(split, [str(planted), "--protocol", "user-holdout",
                                        "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    parts = {name: pd.read_csv(tmp_path / f"{name}.csv")
             for name in ("train", "test", "new-users")}
    assert parts["new-users"]["user"].nunique() == 40  # a fifth of 200
    assert not set(parts["new-users"]["user"]) & set(parts["train"]["user"])
    assert sum(len(part) for part in parts.values()) == 9000


def test_a_diverging_head_stops_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from movierec.training.loop import TrainingDiverged

    monkeypatch.setattr(NewUserHead, "scores",
                        lambda self, users, vectors, prior: users @ vectors.T * torch.nan)
    vectors = torch.randn(2 * PER_TASTE, 4)
    with pytest.raises(TrainingDiverged, match="new-user head: the training loss of epoch 1"):
        fit_new_user_head(vectors, two_tastes(np.random.default_rng(0)), NewUserConfig(),
                          liked=4.0, who=None, seed=0)
