"""The tensors a training run reads: built once from the prepared features and a split, so that
a batch is a slice of preloaded index tensors and never a per-sample Python call."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import torch
from torch import Tensor

from movierec.data.splits import Split
from movierec.errors import DataError
from movierec.model.tables import FeatureTables, History

if TYPE_CHECKING:
    from movierec.data.features import Features

TITLE_ARRAYS = {"seed": "movie_title_seed", "words": "movie_title_words"}
TITLE_VOCABULARIES = {"seed": "title_seed", "words": "title_words"}


@dataclass(frozen=True)
class RatingTensors:
    """(user index, movie index, rating) triples as three aligned (N,) tensors."""

    users: Tensor
    movies: Tensor
    ratings: Tensor

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "RatingTensors":
        return cls(
            torch.tensor(frame["user_index"].to_numpy(np.int64)),
            torch.tensor(frame["movie_index"].to_numpy(np.int64)),
            torch.tensor(frame["rating"].to_numpy(np.float32)),
        )

    def __len__(self) -> int:
        return len(self.ratings)

    def to(self, device: torch.device) -> "RatingTensors":
        return RatingTensors(self.users.to(device), self.movies.to(device),
                             self.ratings.to(device))


@dataclass(frozen=True)
class TrainingData:
    """Everything a trainer needs from the data, already indexed and as tensors."""

    tables: FeatureTables
    train: RatingTensors
    """The ratings the network is fitted to (the training part minus validation)."""
    validation: RatingTensors | None
    """Held out of the training part for early stopping; None when the preset uses none."""
    test: RatingTensors
    fitted: pd.DataFrame
    """The whole training part (validation included), indexed: what the model has seen."""
    test_frame: pd.DataFrame
    """The test part, indexed."""
    rating_scale: tuple[float, float, float]

    @property
    def train_mean(self) -> float:
        return float(self.train.ratings.mean()) if len(self.train) else 0.0

    def to(self, device: torch.device) -> "TrainingData":
        return TrainingData(
            tables=tables_to(self.tables, device),
            train=self.train.to(device),
            validation=self.validation.to(device) if self.validation else None,
            test=self.test.to(device),
            fitted=self.fitted,
            test_frame=self.test_frame,
            rating_scale=self.rating_scale,
        )


def feature_tables(features: "Features", title_tokens: str,
                   histories: tuple[History, History, float] | None = None) -> FeatureTables:
    """The network's per-user and per-movie inputs from prepared features, plus the rating
    histories (user side, movie side, centring offset) for networks that read them."""

    def tensor(values: np.ndarray | None) -> Tensor | None:
        return None if values is None else torch.tensor(np.asarray(values, dtype=np.int64))

    return FeatureTables(
        movie_genres=tensor(features.movie_genres),
        movie_titles=tensor(getattr(features, TITLE_ARRAYS[title_tokens])),
        genre_vocabulary=len(features.vocab["genres"]),
        word_vocabulary=len(features.vocab[TITLE_VOCABULARIES[title_tokens]]),
        users=len(features.user_ids),
        user_gender=tensor(features.user_gender),
        user_age=tensor(features.user_age),
        user_occupation=tensor(features.user_occupation),
        **(dict(zip(("user_history", "movie_history", "rating_offset"), histories, strict=True))
           if histories else {}),
    )


def rating_histories(frame: pd.DataFrame, users: int, movies: int, offset: float
                     ) -> tuple[History, History, float]:
    """The ratings in `frame` (user_index, movie_index, rating) as CSR rows by user and by
    movie, ratings centred on `offset`."""
    user_index = frame["user_index"].to_numpy(np.int64)
    movie_index = frame["movie_index"].to_numpy(np.int64)
    centred = frame["rating"].to_numpy(np.float32) - np.float32(offset)

    def side(owners: np.ndarray, others: np.ndarray, rows: int) -> History:
        order = np.lexsort((others, owners))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=rows))])
        return History(torch.tensor(indptr, dtype=torch.int64),
                       torch.tensor(others[order]), torch.tensor(centred[order]))

    return (side(user_index, movie_index, users), side(movie_index, user_index, movies),
            float(offset))


def build_training_data(
    features: "Features",
    split: Split,
    *,
    title_tokens: str,
    validation_fraction: float,
    seed: int,
    histories: bool = False,
) -> TrainingData:
    """Index the split against the features and carve the validation part out of training.

    The validation rows are the last `round(n * fraction)` of a permutation drawn with `seed`,
    so the same seed always holds out the same ratings; the test part is never touched.
    """
    fitted = _indexed(features, split.train, "training part")
    test = _indexed(features, split.test, "test part")
    if not len(fitted):
        raise DataError("the training part of the split is empty; nothing to train on")
    order = np.random.default_rng(seed).permutation(len(fitted))
    held_out = round(len(fitted) * validation_fraction)
    train_rows = np.sort(order[: len(fitted) - held_out])
    validation_rows = np.sort(order[len(fitted) - held_out:])
    train = fitted.iloc[train_rows]
    history = None
    if histories:
        # Validation ratings stay out of the histories while they judge early stopping.
        history = rating_histories(train, len(features.user_ids), len(features.movie_ids),
                                   float(train["rating"].mean()))
    return TrainingData(
        tables=feature_tables(features, title_tokens, history),
        train=RatingTensors.from_frame(train),
        validation=(RatingTensors.from_frame(fitted.iloc[validation_rows]) if held_out
                    else None),
        test=RatingTensors.from_frame(test),
        fitted=fitted,
        test_frame=test,
        rating_scale=features.rating_scale,
    )


def _indexed(features: "Features", frame: pd.DataFrame, source: str) -> pd.DataFrame:
    if "user_index" in frame and "movie_index" in frame:
        return frame.reset_index(drop=True)
    return features.index_ratings(frame, source=source).reset_index(drop=True)


def tables_to(tables: FeatureTables, device: torch.device) -> FeatureTables:
    """`tables` with every tensor on `device`."""
    return FeatureTables(*(_to(value, device) for value in tables))


def _to(value: object, device: torch.device) -> object:
    if isinstance(value, Tensor):
        return value.to(device)
    if isinstance(value, History):
        return History(*(part.to(device) for part in value))
    return value
