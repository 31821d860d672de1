"""The train/test split a model is evaluated on, and how much of it the model knows.

By default that is the split the model was trained with, read back from the artifact (train =
its seen ratings, test = its test triples); otherwise two CSV files, whose ids may include users
and movies the model never saw.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movierec.artifacts import Artifact, ArtifactError
from movierec.data.splits import files_split
from movierec.errors import DataError
from movierec.evaluation.artifact_model import ArtifactModel


@dataclass(frozen=True)
class EvaluationSplit:
    """Train and test ratings (user_id, movie_id, rating) in dataset ids, and where they came
    from."""

    train: pd.DataFrame
    test: pd.DataFrame
    source: dict[str, Any]
    """{"name": "model", "protocol": ...} or {"name": "files", "train": ..., "test": ...}."""

    def all_movie_ids(self) -> np.ndarray:
        """Every movie id either part mentions (the catalogue must hold them all)."""
        return np.union1d(self.train["movie_id"].to_numpy(), self.test["movie_id"].to_numpy())


def model_split(artifact: Artifact, model: ArtifactModel) -> EvaluationSplit:
    """The split `artifact` was trained with, mapped from its indices back to dataset ids."""
    seen = model.tables.seen
    owners = np.repeat(np.arange(seen.user_count), np.diff(seen.indptr))
    train = _frame(model.user_ids[owners], model.movie_ids[seen.movies], seen.ratings)
    if "test_triples" not in artifact.arrays:
        raise ArtifactError(
            f"{artifact.path}: the model holds no test part; evaluate it on a split of your own "
            "with --split-files TRAIN.csv TEST.csv"
        )
    triples = artifact.array("test_triples")
    users, movies = _test_indices(artifact, triples, model)
    test = _frame(model.user_ids[users], model.movie_ids[movies], triples[:, 2])
    protocol = artifact.documents.get("split", {})
    return _checked(EvaluationSplit(train, test, {"name": "model", "protocol": protocol}))


def file_split(train_csv: Path, test_csv: Path) -> EvaluationSplit:
    """The split given as two `user,movie,rating[,timestamp]` CSV files."""
    split = files_split(Path(train_csv), Path(test_csv))
    columns = ["user_id", "movie_id", "rating"]
    source = {"name": "files", "train": str(train_csv), "test": str(test_csv)}
    return _checked(EvaluationSplit(split.train[columns], split.test[columns], source))


def id_coverage(model: ArtifactModel, split: EvaluationSplit) -> dict[str, int]:
    """Counts of the split's ratings whose user or movie the model does not know, and of test
    pairs that the model was trained on (which would flatter it)."""
    counts: dict[str, int] = {
        "train_ratings": len(split.train),
        "test_ratings": len(split.test),
        "test_users": int(split.test["user_id"].nunique()),
        "catalogue_movies": int(model.catalogue.size),
    }
    for part, frame in (("train", split.train), ("test", split.test)):
        users = model.user_indices(frame["user_id"].to_numpy())
        movies = model.movie_indices(frame["movie_id"].to_numpy())
        counts[f"{part}_unknown_user"] = int((users < 0).sum())
        counts[f"{part}_unknown_movie"] = int((movies < 0).sum())
    counts["test_in_model_training"] = _pairs_in_model_training(model, split.test)
    return counts


def _pairs_in_model_training(model: ArtifactModel, test: pd.DataFrame) -> int:
    seen = model.tables.seen
    width = np.int64(model.movie_ids.size)
    owners = np.repeat(np.arange(seen.user_count, dtype=np.int64), np.diff(seen.indptr))
    trained = owners * width + seen.movies.astype(np.int64)
    users = model.user_indices(test["user_id"].to_numpy())
    movies = model.movie_indices(test["movie_id"].to_numpy())
    known = (users >= 0) & (movies >= 0)
    return int(np.isin(users[known] * width + movies[known], trained).sum())


def _test_indices(
    artifact: Artifact, triples: np.ndarray, model: ArtifactModel
) -> tuple[np.ndarray, np.ndarray]:
    if triples.ndim != 2 or triples.shape[1] != 3:
        raise ArtifactError(f"{artifact.path}: test_triples has shape {triples.shape}, not (T, 3)")
    users = triples[:, 0].astype(np.int64)
    movies = triples[:, 1].astype(np.int64)
    in_range = (
        (users >= 0) & (users < model.user_ids.size) & (movies >= 0)
        & (movies < model.movie_ids.size)
    )
    if not in_range.all():
        raise ArtifactError(
            f"{artifact.path}: test_triples holds indices outside the model's users or movies; "
            "the artifact is inconsistent, retrain it"
        )
    return users, movies


def _frame(user_ids: np.ndarray, movie_ids: np.ndarray, ratings: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": np.asarray(user_ids, dtype=np.int64),
        "movie_id": np.asarray(movie_ids, dtype=np.int64),
        "rating": np.asarray(ratings, dtype=np.float64),
    })


def _checked(split: EvaluationSplit) -> EvaluationSplit:
    where = split.source.get("test", "the model's test part")
    if split.test.empty:
        raise DataError(f"{where}: no test ratings to evaluate on")
    if split.train.empty:
        raise DataError(f"{split.source.get('train', 'the model')}: no training ratings")
    return split
