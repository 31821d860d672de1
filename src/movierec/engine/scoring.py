"""Scores and predicted ratings for a taste: a known user, a new user, or a group's average."""

from dataclasses import dataclass

import numpy as np

from movierec.engine.model import ModelTables


@dataclass(frozen=True)
class Taste:
    """Whoever a list is for, as the model sees them."""

    vector: np.ndarray
    """(D,) rating-space user vector."""
    bias: float
    """The rating-space user bias."""
    ranking_vector: np.ndarray
    """The ranking-space user vector; `vector` itself when the model has no ranking vectors."""


def user_taste(tables: ModelTables, user: int) -> Taste:
    """The taste of the user at index `user`."""
    return Taste(
        tables.rating.users[user], float(tables.user_bias[user]), tables.ranking.users[user]
    )


def group_taste(tables: ModelTables, users: np.ndarray) -> Taste:
    """The average taste of `users`: its scores are the average of their scores (all linear)."""
    return Taste(
        tables.rating.users[users].mean(axis=0),
        float(tables.user_bias[users].mean()),
        tables.ranking.users[users].mean(axis=0),
    )


def average_taste(tables: ModelTables) -> Taste:
    """The taste of the average user: whoever a list is for when it is for no one in particular."""
    return Taste(
        tables.rating.users.mean(axis=0, dtype=np.float64).astype(np.float32),
        float(tables.user_bias.mean(dtype=np.float64)),
        tables.ranking.users.mean(axis=0, dtype=np.float64).astype(np.float32),
    )


def ranking_scores(tables: ModelTables, taste: Taste) -> np.ndarray:
    """(M,) float64 scores every movie is ranked by for `taste`.

    With ranking vectors: their dot product. Without: the rating head's unclipped prediction
    (clipping would tie every movie predicted above the top of the scale).
    """
    scores = (tables.ranking.movies @ taste.ranking_vector).astype(np.float64)
    if not tables.has_ranking_vectors:
        scores += tables.movie_bias + (taste.bias + tables.scale.global_bias)
    return scores


def users_ranking_scores(tables: ModelTables, users: np.ndarray, movies: np.ndarray) -> np.ndarray:
    """(U, M) float64 ranking scores of user rows `users` for movie rows `movies`, as
    `ranking_scores` ranks, but in float64 from the vectors on: the evaluation's exact figures."""
    scores = (
        tables.ranking.users[users].astype(np.float64)
        @ tables.ranking.movies[movies].T.astype(np.float64)
    )
    if not tables.has_ranking_vectors:
        # Unclipped: clipping would tie every movie predicted above the top of the scale.
        scores += tables.user_bias[users, None] + tables.movie_bias[None, movies]
        scores += tables.scale.global_bias
    return scores


def block_scores(tables: ModelTables, users: slice) -> np.ndarray:
    """(B, M) float32 ranking scores for a block of users at once (the batch job)."""
    scores = tables.ranking.users[users] @ tables.ranking.movies.T
    if not tables.has_ranking_vectors:
        scores += tables.movie_bias[None, :]
        scores += (tables.user_bias[users] + tables.scale.global_bias)[:, None]
    return scores


def predicted_ratings(tables: ModelTables, taste: Taste, movies: np.ndarray) -> np.ndarray:
    """The rating head's clipped prediction u.m + b_u + b_m + g of `movies` for `taste`."""
    raw = (
        tables.rating.movies[movies] @ taste.vector
        + tables.movie_bias[movies]
        + taste.bias
        + tables.scale.global_bias
    )
    return tables.scale.clip(raw)


def pair_ratings(tables: ModelTables, users: np.ndarray, movies: np.ndarray) -> np.ndarray:
    """(N,) clipped predicted ratings of (user index, movie index) pairs; -1 marks an id the
    model lacks. The one fallback of `movierec predict --fallback` and `movierec evaluate`.

    An unknown user is rated as the average user (`average_taste`): the model's prediction for
    someone it knows nothing about, which keeps what it knows of the movie. An unknown movie has
    no prediction, not even the average user's: it gets the mean training rating, plus the
    user's bias when the user is known (zero on a model without biases).
    """
    users = np.asarray(users, dtype=np.int64)
    movies = np.asarray(movies, dtype=np.int64)
    if users.shape != movies.shape:
        raise ValueError("users and movies must have the same length")
    known_user, known_movie = users >= 0, movies >= 0
    seen = tables.seen.ratings
    mean = float(seen.mean(dtype=np.float64)) if len(seen) else tables.scale.global_bias
    ratings = np.full(users.shape, mean, dtype=np.float64)
    ratings[known_user] += tables.user_bias[users[known_user]]
    both = known_user & known_movie
    pair_users, pair_movies = users[both], movies[both]
    ratings[both] = (
        np.einsum(
            "ij,ij->i",
            tables.rating.users[pair_users].astype(np.float64),
            tables.rating.movies[pair_movies].astype(np.float64),
        )
        + tables.user_bias[pair_users]
        + tables.movie_bias[pair_movies]
        + tables.scale.global_bias
    )
    only_movie = known_movie & ~known_user
    if only_movie.any():
        ratings[only_movie] = predicted_ratings(tables, average_taste(tables), movies[only_movie])
    return tables.scale.clip(ratings)
