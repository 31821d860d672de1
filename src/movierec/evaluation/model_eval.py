"""Evaluate a trained model artifact and the baselines on one split, in one run.

The result is one JSON-ready document: the model's and every baseline's rating and top-K
metrics, how much of the split the model knows, and the rating error by user activity. The
model is read with numpy only; torch is never imported.
"""

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from movierec import __version__
from movierec.artifacts import Artifact, read_artifact
from movierec.engine import Recommender
from movierec.errors import UsageError
from movierec.evaluation.artifact_model import ArtifactModel
from movierec.evaluation.baselines import BiasBaseline, default_baselines
from movierec.evaluation.model_split import (
    EvaluationSplit,
    file_split,
    id_coverage,
    model_split,
)
from movierec.evaluation.new_users import (
    HELD_OUT_ARRAY,
    PROFILE_SIZES,
    baseline_rankers,
    engine_ranker,
    evaluate_new_users,
    held_out_ratings,
    mean_ndcg,
    new_user_cases,
)
from movierec.evaluation.protocol import evaluate_baselines, evaluate_ranking, evaluate_ratings

FORMAT = "movierec-evaluation"
MODEL = "model"
"""The model's key among the results; every other key is a baseline's name."""
USER_HOLDOUT = "user-holdout"
PROTOCOLS = ("split", USER_HOLDOUT)
ACTIVITY_EDGES = (0, 1, 20, 50, 100, 200, 500)
"""Lower bounds of the user activity buckets, in training ratings per user."""

PredictFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class EvaluationSettings:
    """What an evaluation measures, apart from the model and the split."""

    k: int = 10
    """Length of the recommended lists."""
    relevant_threshold: float = 4.0
    """A test rating at or above this makes the movie relevant to the user."""
    baselines: bool = True
    """Also fit and evaluate every default baseline on the same split."""
    seed: int = 0
    """Seed of the baselines that draw random numbers (matrix factorisation)."""
    protocol: str = "split"
    """"split": the split the model was trained with (its held-out users too, if it has
    some); "user-holdout": the same, but the model must have held-out users to play new ones."""


def evaluate_model(
    model_dir: Path,
    split_files: tuple[Path, Path] | None = None,
    settings: EvaluationSettings | None = None,
) -> dict[str, Any]:
    """Evaluate the model at `model_dir` (and the baselines) on its own test part, or on the
    split in `split_files` (train.csv, test.csv); returns the evaluation document."""
    settings = settings or EvaluationSettings()
    if settings.k < 1:
        raise ValueError(f"k must be at least 1, got {settings.k}")
    artifact = read_artifact(Path(model_dir))
    if settings.protocol == USER_HOLDOUT:
        if split_files is not None:
            raise UsageError("the user-holdout protocol evaluates the users the model was "
                             "trained without; drop --split-files")
        held_out_ratings(artifact)  # the model must have held-out users: say so now
    if split_files is None:
        model = ArtifactModel(artifact)
        split = model_split(artifact, model)
    else:
        split = file_split(*split_files)
        model = ArtifactModel(artifact, split.all_movie_ids())
    coverage = id_coverage(model, split)
    results = {MODEL: _model_metrics(model, split, settings)}
    baselines = default_baselines(settings.seed) if settings.baselines else []
    if baselines:
        results |= evaluate_baselines(
            split.train, split.test, model.catalogue, settings.k, settings.relevant_threshold,
            rating_scale=model.rating_scale, seed=settings.seed, baselines=baselines,
        )
    bias = next((b for b in baselines if isinstance(b, BiasBaseline)), None)
    if bias is None:
        # The activity comparison needs the bias baseline even when the others are skipped;
        # it fits in a fraction of a second.
        bias = BiasBaseline().fit(split.train, model.catalogue, model.rating_scale)
    document = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": __version__,
        "model": {
            "path": str(artifact.path),
            "preset": artifact.documents.get("config", {}).get("preset"),
            "ranking": model.ranking_source,
            "training": artifact.documents.get("metrics"),
        },
        "split": split.source | coverage,
        "settings": asdict(settings) | {"rating_scale": list(model.rating_scale)},
        "results": results,
        "baselines": [baseline.name for baseline in baselines],
        "activity": activity_buckets(split, {MODEL: model.predict, bias.name: bias.predict}),
        "warnings": _warnings(coverage),
    }
    if split_files is None and HELD_OUT_ARRAY in artifact.arrays:
        document["new_users"] = new_user_section(artifact, split, model.catalogue, settings)
    return jsonable(document)


def new_user_section(artifact: Artifact, split: EvaluationSplit, catalogue: np.ndarray,
                     settings: EvaluationSettings) -> dict[str, Any]:
    """The user-holdout protocol (`movierec.evaluation.new_users`): the model's new-user lists
    and the baselines' for the first k ratings of every held-out user."""
    started = time.perf_counter()
    cases = new_user_cases(held_out_ratings(artifact), settings.relevant_threshold)
    rankers = {MODEL: engine_ranker(Recommender(artifact))}
    if settings.baselines:
        rankers |= baseline_rankers(split.train, catalogue, settings.relevant_threshold)
    popularity = split.train["movie_id"].value_counts().to_dict()
    results = evaluate_new_users(rankers, cases, catalogue.size, popularity, n=settings.k)
    return {
        "profile_sizes": list(PROFILE_SIZES),
        "users_evaluated": len(cases),
        "results": results,
        "mean_ndcg": {name: mean_ndcg(by_size) for name, by_size in results.items()},
        "seconds": time.perf_counter() - started,
    }


def _model_metrics(
    model: ArtifactModel, split: EvaluationSplit, settings: EvaluationSettings
) -> dict[str, float]:
    started = time.perf_counter()
    metrics = evaluate_ratings(model.predict, split.test)
    metrics |= evaluate_ranking(
        model.score_users, split.train, split.test, model.catalogue, settings.k,
        settings.relevant_threshold,
    )
    return metrics | {"evaluate_seconds": time.perf_counter() - started}


def activity_buckets(
    split: EvaluationSplit, predictors: Mapping[str, PredictFn]
) -> list[dict[str, Any]]:
    """RMSE of each predictor on the test ratings of users grouped by their number of training
    ratings (`ACTIVITY_EDGES`); empty buckets are left out."""
    train_counts = split.train["user_id"].value_counts()
    users = split.test["user_id"].to_numpy()
    movies = split.test["movie_id"].to_numpy()
    actual = split.test["rating"].to_numpy(dtype=np.float64)
    activity = split.test["user_id"].map(train_counts).fillna(0).to_numpy()
    bucket_of = np.searchsorted(ACTIVITY_EDGES, activity, side="right") - 1
    errors = {name: predict(users, movies) - actual for name, predict in predictors.items()}
    buckets = []
    for bucket in np.unique(bucket_of):
        rows = bucket_of == bucket
        low = ACTIVITY_EDGES[bucket]
        high = ACTIVITY_EDGES[bucket + 1] - 1 if bucket + 1 < len(ACTIVITY_EDGES) else None
        buckets.append({
            "bucket": _bucket_label(low, high),
            "min_train_ratings": low,
            "max_train_ratings": high,
            "users": int(np.unique(users[rows]).size),
            "test_ratings": int(rows.sum()),
            "rmse": {name: float(np.sqrt(np.mean(error[rows] ** 2)))
                     for name, error in errors.items()},
        })
    return buckets


def _bucket_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}-{high}"


def _warnings(coverage: Mapping[str, int]) -> list[str]:
    warnings = []
    overlap = coverage["test_in_model_training"]
    if overlap:
        warnings.append(
            f"{overlap:,} of {coverage['test_ratings']:,} test ratings are (user, movie) pairs "
            "the model was trained on: its figures are flattered; evaluate on the split it was "
            "trained with, or retrain it on your split's train part"
        )
    return warnings


def jsonable(value: Any) -> Any:
    """`value` with numpy scalars made plain and NaN or infinity made None (strict JSON)."""
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
