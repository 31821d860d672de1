"""Picking the best n of a score vector: exactly (argpartition) or with seeded variety."""

import numpy as np

from movierec.engine.errors import InvalidRequest


def check_count(n: object, catalogue_size: int, name: str = "n") -> int:
    """`n` as an int of at most `catalogue_size`: asking for more than there is gets what there
    is. InvalidRequest for anything but a whole number from 1 up."""
    if not isinstance(n, int | np.integer) or isinstance(n, bool):
        raise InvalidRequest(f"{name} must be a whole number, not {n!r}")
    if n < 1:
        raise InvalidRequest(f"{name} must be 1 or more, not {n}")
    return min(int(n), catalogue_size)


def best(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n highest finite scores, best first; fewer when fewer are finite.

    Excluded movies carry -inf. argpartition finds the top n in linear time; only those n are
    sorted. Ties keep index order, so results are reproducible.
    """
    candidates = int(np.count_nonzero(np.isfinite(scores)))
    n = min(n, candidates)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    top = top[np.isfinite(scores[top])]
    order = np.lexsort((top, -scores[top]))
    return top[order]


def sample(scores: np.ndarray, n: int, pool: int, seed: int | None) -> np.ndarray:
    """n indices drawn without replacement among the best `pool`, best first.

    The draw is proportional to score, as the seed system did. Scores are shifted so the worst
    of the pool still has a small chance (5% of the pool's range) instead of none, and so that
    negative scores (cosines, dot products) work. A given seed always gives the same draw.
    """
    if pool < n:
        raise InvalidRequest(f"sample_from ({pool}) must be at least n ({n})")
    candidates = best(scores, pool)
    if len(candidates) <= n:
        return candidates
    values = scores[candidates].astype(np.float64)
    spread = values.max() - values.min()
    weights = values - values.min() + (0.05 * spread if spread > 0 else 1.0)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(candidates), size=n, replace=False, p=weights / weights.sum())
    return candidates[np.sort(chosen)]


def pick(
    scores: np.ndarray, n: int, sample_from: int | None = None, seed: int | None = None
) -> np.ndarray:
    """`best` or, when `sample_from` is given, `sample` among that many."""
    if sample_from is None:
        return best(scores, n)
    pool = check_count(sample_from, len(scores), "sample_from")
    whole = isinstance(seed, int | np.integer) and not isinstance(seed, bool)
    if seed is not None and not (whole and seed >= 0):  # type: ignore[operator]
        raise InvalidRequest(f"seed must be a whole number from 0 up, not {seed!r}")
    return sample(scores, n, pool, seed)
