"""The batched SGD is the same computation as a per-sample loop."""

import itertools

import numpy as np

from movierec.evaluation.sgd import BiasedFactors, conflict_free_batches, sgd_epoch


def random_samples(rng: np.random.Generator, n_users: int = 30, n_movies: int = 20) -> tuple:
    pairs = rng.choice(n_users * n_movies, size=300, replace=False)
    users, movies = np.divmod(pairs, n_movies)
    ratings = rng.integers(1, 6, size=pairs.size).astype(float)
    return users, movies, ratings


def random_params(rng: np.random.Generator, n_users: int = 30, n_movies: int = 20) -> BiasedFactors:
    return BiasedFactors(
        global_mean=3.5,
        user_bias=rng.normal(0, 0.1, n_users),
        movie_bias=rng.normal(0, 0.1, n_movies),
        user_factors=rng.normal(0, 0.1, (n_users, 8)),
        movie_factors=rng.normal(0, 0.1, (n_movies, 8)),
    )


def per_sample_epoch(params: BiasedFactors, users, movies, ratings, lr: float, reg: float) -> None:
    """Surprise's SVD update, literally, one rating at a time."""
    for user, movie, rating in zip(users, movies, ratings, strict=True):
        dot = sum(params.movie_factors[movie, f] * params.user_factors[user, f] for f in range(8))
        error = rating - (
            params.global_mean + params.user_bias[user] + params.movie_bias[movie] + dot
        )
        params.user_bias[user] += lr * (error - reg * params.user_bias[user])
        params.movie_bias[movie] += lr * (error - reg * params.movie_bias[movie])
        for f in range(8):
            user_f = params.user_factors[user, f]
            movie_f = params.movie_factors[movie, f]
            params.user_factors[user, f] += lr * (error * movie_f - reg * user_f)
            params.movie_factors[movie, f] += lr * (error * user_f - reg * movie_f)


def test_batches_never_repeat_a_user_or_movie_and_keep_their_order(
    rng: np.random.Generator,
) -> None:
    users, movies, _ = random_samples(rng)
    order, bounds = conflict_free_batches(users, movies)
    assert sorted(order.tolist()) == list(range(users.size))
    for start, stop in itertools.pairwise(bounds):
        batch = order[start:stop]
        assert np.unique(users[batch]).size == batch.size
        assert np.unique(movies[batch]).size == batch.size
    for codes in (users, movies):
        for code in np.unique(codes):
            visits = order[codes[order] == code]
            assert (np.diff(visits) > 0).all()


def test_batched_epoch_equals_the_per_sample_loop(rng: np.random.Generator) -> None:
    users, movies, ratings = random_samples(rng)
    batched = random_params(rng)
    looped = BiasedFactors(
        batched.global_mean,
        batched.user_bias.copy(),
        batched.movie_bias.copy(),
        batched.user_factors.copy(),
        batched.movie_factors.copy(),
    )
    for _ in range(3):
        sgd_epoch(batched, users, movies, ratings, 0.05, 0.02)
        per_sample_epoch(looped, users, movies, ratings, 0.05, 0.02)
    np.testing.assert_allclose(batched.user_bias, looped.user_bias, rtol=0, atol=1e-12)
    np.testing.assert_allclose(batched.movie_bias, looped.movie_bias, rtol=0, atol=1e-12)
    np.testing.assert_allclose(batched.user_factors, looped.user_factors, rtol=0, atol=1e-12)
    np.testing.assert_allclose(batched.movie_factors, looped.movie_factors, rtol=0, atol=1e-12)


def test_no_samples_no_batches() -> None:
    order, bounds = conflict_free_batches(np.array([], dtype=int), np.array([], dtype=int))
    assert order.size == 0
    assert bounds.tolist() == [0]
