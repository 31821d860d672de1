"""Reference recommenders that every model is compared with, on the same split.

All share one interface: `fit(train, all_movie_ids, rating_scale=None)` then
`score_users(user_ids) -> (n_users, n_movies)` with columns in ascending movie-id order
(`movie_ids`). Rating predictors (`RatingBaseline`) also have `predict(user_ids, movie_ids)`,
clipped to the rating scale; their scores are the unclipped estimates. A user or movie unseen in
train falls back to the terms that are known (global mean, then biases), as Surprise does.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Self

import numpy as np
import pandas as pd

from movierec.evaluation._trainset import TrainSet
from movierec.evaluation.sgd import BiasedFactors, sgd_epoch
from movierec.ids import positions


class Baseline(ABC):
    """Fit on a train split over a fixed catalogue; score every catalogue movie for users."""

    name: ClassVar[str]

    def fit(
        self,
        train: pd.DataFrame,
        all_movie_ids: np.ndarray,
        rating_scale: tuple[float, float] | None = None,
    ) -> Self:
        """Learn from `train`; `all_movie_ids` is the whole catalogue (unrated movies included);
        `rating_scale` (low, high) clips predictions, by default the train minimum and maximum."""
        data = TrainSet.from_frame(train, all_movie_ids)
        if data.ratings.size == 0:
            raise ValueError(f"{self.name}: the train split has no ratings")
        self.user_ids = data.user_ids
        self.movie_ids = data.movie_ids
        if rating_scale is None:
            rating_scale = (float(data.ratings.min()), float(data.ratings.max()))
        self.rating_scale = rating_scale
        self._fit(data)
        return self

    @abstractmethod
    def _fit(self, data: TrainSet) -> None:
        """Learn the model's parameters from the coded train split."""

    @abstractmethod
    def score_users(self, user_ids: np.ndarray) -> np.ndarray:
        """Scores (n_users, n_movies) of every catalogue movie; higher ranks first."""

    def _user_codes(self, user_ids: np.ndarray) -> np.ndarray:
        if not hasattr(self, "user_ids"):
            raise RuntimeError(f"{self.name}: call fit() before scoring")
        return positions(self.user_ids, user_ids)


class RatingBaseline(Baseline):
    """A rating predictor mean + b_u + b_i (+ p_u . q_i); unknown ids get zero terms.

    Subclasses set the parameters in `_fit`. Each array carries one extra trailing zero entry
    (row) so that code -1, an id unseen in train, reads zeros: the fallback costs no branch.
    """

    _global_mean: float
    _user_bias: np.ndarray
    _movie_bias: np.ndarray
    _user_factors: np.ndarray | None = None
    _movie_factors: np.ndarray | None = None

    def predict(self, user_ids: np.ndarray, movie_ids: np.ndarray) -> np.ndarray:
        """Predicted ratings of the (user, movie) pairs, clipped to the rating scale."""
        user_codes = self._user_codes(user_ids)
        movie_codes = positions(self.movie_ids, movie_ids)
        if user_codes.shape != movie_codes.shape:
            raise ValueError("user_ids and movie_ids must have the same length")
        estimates = self._global_mean + self._user_bias[user_codes] + self._movie_bias[movie_codes]
        if self._user_factors is not None and self._movie_factors is not None:
            estimates += np.einsum(
                "ij,ij->i", self._user_factors[user_codes], self._movie_factors[movie_codes]
            )
        return np.clip(estimates, *self.rating_scale)

    def score_users(self, user_ids: np.ndarray) -> np.ndarray:
        """Unclipped estimates (n_users, n_movies): clipping would create artificial ties."""
        user_codes = self._user_codes(user_ids)
        scores = (
            self._global_mean + self._user_bias[user_codes][:, None] + self._movie_bias[None, :-1]
        )
        if self._user_factors is not None and self._movie_factors is not None:
            scores += self._user_factors[user_codes] @ self._movie_factors[:-1].T
        return scores

    def _set_biases(
        self, global_mean: float, user_bias: np.ndarray, movie_bias: np.ndarray
    ) -> None:
        self._global_mean = global_mean
        self._user_bias = np.append(user_bias, 0.0)
        self._movie_bias = np.append(movie_bias, 0.0)


class GlobalMean(RatingBaseline):
    """Predicts the mean train rating for everyone; its ranking is by movie id only."""

    name = "global_mean"

    def _fit(self, data: TrainSet) -> None:
        self._set_biases(
            float(data.ratings.mean()), np.zeros(data.n_users), np.zeros(data.n_movies)
        )


class BiasBaseline(RatingBaseline):
    """mean + b_u + b_i with regularised biases fitted by alternating least squares.

    As Surprise's BaselineOnly with ALS: each epoch sets every b_i to
    sum(r - mean - b_u) / (reg_movie + n_i), then every b_u to
    sum(r - mean - b_i) / (reg_user + n_u).
    """

    name = "user_movie_bias"

    def __init__(self, reg_user: float = 15.0, reg_movie: float = 10.0, n_epochs: int = 10):
        self.reg_user = reg_user
        self.reg_movie = reg_movie
        self.n_epochs = n_epochs

    def _fit(self, data: TrainSet) -> None:
        global_mean = float(data.ratings.mean())
        user_counts = np.bincount(data.user_codes, minlength=data.n_users)
        movie_counts = data.movie_counts()
        user_bias = np.zeros(data.n_users)
        movie_bias = np.zeros(data.n_movies)
        for _ in range(self.n_epochs):
            residual = data.ratings - global_mean - user_bias[data.user_codes]
            movie_bias = _shrunk_mean(
                np.bincount(data.movie_codes, residual, minlength=data.n_movies),
                movie_counts,
                self.reg_movie,
            )
            residual = data.ratings - global_mean - movie_bias[data.movie_codes]
            user_bias = _shrunk_mean(
                np.bincount(data.user_codes, residual, minlength=data.n_users),
                user_counts,
                self.reg_user,
            )
        self._set_biases(global_mean, user_bias, movie_bias)


def _shrunk_mean(totals: np.ndarray, counts: np.ndarray, regularisation: float) -> np.ndarray:
    """totals / (regularisation + counts), 0 where both are 0 (an unrated movie, no shrinkage)."""
    denominator = regularisation + counts
    return np.divide(totals, denominator, out=np.zeros_like(totals), where=denominator > 0)


@dataclass(frozen=True)
class MFConfig:
    """Hyperparameters of `MatrixFactorisation` (defaults: those of Surprise's SVD)."""

    n_factors: int = 100
    """Length of every user and movie vector."""
    n_epochs: int = 20
    """Passes of SGD over the train ratings."""
    learning_rate: float = 0.005
    """SGD step size, the same for biases and factors."""
    regularisation: float = 0.02
    """L2 penalty per update, the same for biases and factors."""
    init_std: float = 0.1
    """Standard deviation of the normal initial factors (biases start at zero)."""


class MatrixFactorisation(RatingBaseline):
    """Biased matrix factorisation trained by exact per-sample SGD, like Surprise's SVD.

    Each epoch visits the train ratings in a fresh random order and applies Surprise's updates
    one rating at a time; `movierec.evaluation.sgd` runs them as vectorised conflict-free
    batches, which gives the same result as a per-sample loop at numpy speed (ML-100K 90/10:
    about 1.5 s, RMSE about 0.94 against 0.9430 for Surprise's SVD).
    """

    name = "matrix_factorisation"

    def __init__(self, config: MFConfig | None = None, seed: int = 0):
        self.config = config or MFConfig()
        self.seed = seed

    def _fit(self, data: TrainSet) -> None:
        config = self.config
        rng = np.random.default_rng(self.seed)
        params = BiasedFactors(
            global_mean=float(data.ratings.mean()),
            user_bias=np.zeros(data.n_users),
            movie_bias=np.zeros(data.n_movies),
            user_factors=rng.normal(0.0, config.init_std, (data.n_users, config.n_factors)),
            movie_factors=rng.normal(0.0, config.init_std, (data.n_movies, config.n_factors)),
        )
        for _ in range(config.n_epochs):
            order = rng.permutation(data.ratings.size)
            sgd_epoch(
                params,
                data.user_codes[order],
                data.movie_codes[order],
                data.ratings[order],
                config.learning_rate,
                config.regularisation,
            )
        # A movie never rated in train kept its random vector: it must not add noise.
        params.movie_factors[data.movie_counts() == 0] = 0.0
        self._set_biases(params.global_mean, params.user_bias, params.movie_bias)
        self._user_factors = _with_zero_row(params.user_factors)
        self._movie_factors = _with_zero_row(params.movie_factors)


def _with_zero_row(factors: np.ndarray) -> np.ndarray:
    return np.vstack([factors, np.zeros((1, factors.shape[1]))])


class Popularity(Baseline):
    """Ranks movies by their number of train ratings, the same list for everyone."""

    name = "popularity"

    def _fit(self, data: TrainSet) -> None:
        self.counts = data.movie_counts().astype(np.float64)

    def score_users(self, user_ids: np.ndarray) -> np.ndarray:
        user_codes = self._user_codes(user_ids)
        return np.tile(self.counts, (user_codes.size, 1))


class LikedPopularity(Popularity):
    """Ranks movies by their number of train ratings at or above a threshold (4 stars): what
    people liked, not just watched. Not in PROTOCOLS.md's set; on ML-100K's user holdout it
    beats plain popularity by 9-14%, so a new-user list must beat it too to add anything."""

    name = "liked_popularity"

    def __init__(self, liked: float = 4.0):
        self.liked = liked

    def _fit(self, data: TrainSet) -> None:
        self.counts = np.bincount(data.movie_codes[data.ratings >= self.liked],
                                  minlength=data.n_movies).astype(np.float64)


class _ItemToItem(Baseline):
    """score = x_u @ W, with x_u the user's binarised train row and W movie-to-movie weights.

    W is dense (M, M) float64: 110 MB for ML-1M's 3,706 movies, too large beyond ~20,000 movies.
    """

    def _fit(self, data: TrainSet) -> None:
        self._history = data.binary_matrix()
        gram = (self._history.T @ self._history).toarray()  # (M, M) co-rating counts
        self.weights = self._movie_weights(gram)

    @abstractmethod
    def _movie_weights(self, gram: np.ndarray) -> np.ndarray:
        """Weights W (M, M) from the co-rating counts X^T X."""

    def score_users(self, user_ids: np.ndarray) -> np.ndarray:
        user_codes = self._user_codes(user_ids)
        return np.asarray(self._history[user_codes] @ self.weights)


class ItemKNN(_ItemToItem):
    """Item-based kNN with cosine similarity over all neighbours, diagonal zeroed."""

    name = "item_knn_cosine"

    def _movie_weights(self, gram: np.ndarray) -> np.ndarray:
        norms = np.sqrt(np.diag(gram))
        denominator = np.outer(norms, norms)
        similarity = np.divide(gram, denominator, out=np.zeros_like(gram), where=denominator > 0)
        np.fill_diagonal(similarity, 0.0)
        return similarity


class EASE(_ItemToItem):
    """EASE (Steck 2019): B = -P / diag(P) with P = (X^T X + lambda I)^-1, diagonal zeroed."""

    name = "ease"

    def __init__(self, regularisation: float = 500.0):
        self.regularisation = regularisation

    def _movie_weights(self, gram: np.ndarray) -> np.ndarray:
        gram[np.diag_indices_from(gram)] += self.regularisation
        precision = np.linalg.inv(gram)
        weights = precision / -np.diag(precision)  # column j divided by -P_jj
        np.fill_diagonal(weights, 0.0)
        return weights


def default_baselines(seed: int = 0) -> list[Baseline]:
    """The baselines every evaluation reports, in table order."""
    return [
        GlobalMean(),
        BiasBaseline(),
        Popularity(),
        ItemKNN(),
        EASE(regularisation=500.0),
        MatrixFactorisation(seed=seed),
    ]
