"""Train/test splits of a ratings frame. Every split keeps all columns of the frame it is given.

- `random_split`: rows by a seeded permutation (PROTOCOLS.md's random 90/10 with fraction 0.1);
- `temporal_split`: each user's last `ceil(n * fraction)` ratings by (timestamp, movie id);
- `leave_last_out`: each user's very last rating;
- `user_holdout`: a share of the users held out whole, as brand-new users (PROTOCOLS.md's "user
  holdout, first-k ratings"); the others' last ratings are the test part;
- `files_split`: train and test given as CSV files, for any protocol of your own.

`split_ratings` picks one of the first four by its protocol name.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from movierec.data.diagnose import Field, raise_first_bad_line
from movierec.errors import DataError, UsageError

PROTOCOLS = ("random", "temporal", "leave-last-out", "user-holdout")
"""The protocol names `split_ratings` knows."""


@dataclass(frozen=True)
class Split:
    """A train part, a test part and how they were made."""

    train: pd.DataFrame
    test: pd.DataFrame
    protocol: dict[str, Any] = field(default_factory=dict)
    new_users: pd.DataFrame | None = None
    """Every rating of the users held out whole (user_holdout only), in (user, timestamp,
    movie) order: the model never sees them; they play brand-new users."""


def split_ratings(ratings: pd.DataFrame, protocol: str, test_fraction: float = 0.2,
                  seed: int | None = None) -> Split:
    """`ratings` split by the protocol named `protocol` (one of `PROTOCOLS`).

    `test_fraction` is the share of ratings (random), of each user's ratings (temporal) or of
    the users (user-holdout) held out; `seed` seeds random (default 0) and user-holdout
    (default 42, PROTOCOLS.md's).
    """
    if protocol == "random":
        return random_split(ratings, test_fraction, split_seed(protocol, seed))
    if protocol == "temporal":
        return temporal_split(ratings, test_fraction)
    if protocol == "leave-last-out":
        return leave_last_out(ratings)
    if protocol == "user-holdout":
        return user_holdout(ratings, test_fraction, split_seed(protocol, seed))
    raise UsageError(f"unknown split {protocol!r}; choose one of {', '.join(PROTOCOLS)}")


def split_seed(protocol: str, seed: int | None) -> int:
    """`seed`, or the protocol's default when None: 42 for user-holdout (PROTOCOLS.md draws it
    so), 0 otherwise."""
    if seed is not None:
        return seed
    return 42 if protocol == "user-holdout" else 0


def random_split(ratings: pd.DataFrame, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Hold out `round(n * test_fraction)` rows chosen by `default_rng(seed).permutation(n)`.

    Train is `perm[:n - n_test]` and test `perm[n - n_test:]`, each in permutation order, which
    reproduces the reference protocol row for row.
    """
    _check_fraction(test_fraction)
    count = len(ratings)
    permutation = np.random.default_rng(seed).permutation(count)
    held_out = round(count * test_fraction)
    return Split(
        train=ratings.iloc[permutation[: count - held_out]].reset_index(drop=True),
        test=ratings.iloc[permutation[count - held_out:]].reset_index(drop=True),
        protocol={"name": "random", "test_fraction": test_fraction, "seed": seed},
    )


def temporal_split(
    ratings: pd.DataFrame, test_fraction: float = 0.2, min_ratings: int = 5
) -> Split:
    """Per user, the last `ceil(n_u * test_fraction)` ratings by (timestamp, movie id) go to test.

    Users with fewer than `min_ratings` ratings stay wholly in train.
    """
    _check_fraction(test_fraction)
    order, position, count = _user_order(ratings)
    # Exact rational ceiling: float rounding must not move a rating across the line.
    share = Fraction(test_fraction).limit_denominator(10_000)
    held_out = -((-count * share.numerator) // share.denominator)
    held_out = np.where(count >= min_ratings, held_out, 0)
    is_test = position >= count - held_out
    return _by_mask(ratings, order, is_test, {
        "name": "temporal", "test_fraction": test_fraction, "min_ratings": min_ratings,
    })


def leave_last_out(ratings: pd.DataFrame) -> Split:
    """Each user's last rating by (timestamp, movie id) is the test part; one-rating users stay."""
    order, position, count = _user_order(ratings)
    is_test = (position == count - 1) & (count > 1)
    return _by_mask(ratings, order, is_test, {"name": "leave-last-out"})


def user_holdout(ratings: pd.DataFrame, held_out_fraction: float = 0.2, seed: int = 42
                 ) -> Split:
    """Hold out `floor(n_users * held_out_fraction)` users whole, drawn by
    `default_rng(seed).choice(sorted user ids, size, replace=False)`: they are `new_users`.

    The other users' ratings train, but for each one's last by (timestamp, movie id), which is
    the test part (one-rating users stay in train), as in `leave_last_out`.
    """
    _check_fraction(held_out_fraction)
    users = np.unique(ratings["user_id"].to_numpy())
    share = Fraction(held_out_fraction).limit_denominator(10_000)
    count = len(users) * share.numerator // share.denominator
    chosen = np.random.default_rng(seed).choice(users, size=count, replace=False)
    is_new = np.isin(ratings["user_id"].to_numpy(), chosen)
    known = leave_last_out(ratings[~is_new])
    new_users = ratings[is_new]
    order, _, _ = _user_order(new_users)
    return Split(
        train=known.train,
        test=known.test,
        protocol={"name": "user-holdout", "held_out_fraction": held_out_fraction, "seed": seed,
                  "new_users": int(count)},
        new_users=new_users.iloc[order].reset_index(drop=True),
    )


def files_split(train_csv: Path, test_csv: Path) -> Split:
    """A split given as two CSV files with columns `user,movie,rating,timestamp` (header first)."""
    return Split(
        train=read_ratings_csv(Path(train_csv)),
        test=read_ratings_csv(Path(test_csv)),
        protocol={"name": "files", "train": str(train_csv), "test": str(test_csv)},
    )


def read_ratings_csv(path: Path) -> pd.DataFrame:
    """A `user,movie,rating,timestamp` CSV (timestamp optional) as a canonical ratings frame."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    fields = [Field("user", "int"), Field("movie", "int"), Field("rating", "float")]
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{path}: not a readable CSV ({error})") from None
    missing = [name for name in ("user", "movie", "rating") if name not in frame.columns]
    if missing:
        raise DataError(
            f"{path}, line 1: missing column(s) {', '.join(missing)}; the header must be "
            "user,movie,rating,timestamp"
        )
    columns = {"user_id": "user", "movie_id": "movie", "rating": "rating"}
    converted = {name: pd.to_numeric(frame[source], errors="coerce")
                 for name, source in columns.items()}
    timestamp = (pd.to_numeric(frame["timestamp"], errors="coerce") if "timestamp" in frame
                 else pd.Series(0, index=frame.index))
    if any(values.isna().any() for values in (*converted.values(), timestamp)):
        raise_first_bad_line(path, ",", fields, encoding="utf-8", header=True,
                             cause="a value is not a number")
    return pd.DataFrame({
        "user_id": converted["user_id"].astype("int32"),
        "movie_id": converted["movie_id"].astype("int32"),
        "rating": converted["rating"].astype("float32"),
        "timestamp": timestamp.astype("int64"),
    })


def _user_order(ratings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by (user, timestamp, movie); each row's rank within its user; user counts."""
    users = ratings["user_id"].to_numpy()
    order = np.lexsort((ratings["movie_id"].to_numpy(), ratings["timestamp"].to_numpy(), users))
    sorted_users = users[order]
    starts = np.flatnonzero(np.r_[True, sorted_users[1:] != sorted_users[:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    position = np.arange(len(order)) - np.repeat(starts, counts)
    return order, position, np.repeat(counts, counts)


def _by_mask(ratings: pd.DataFrame, order: np.ndarray, is_test: np.ndarray,
             protocol: dict[str, Any]) -> Split:
    return Split(
        train=ratings.iloc[order[~is_test]].reset_index(drop=True),
        test=ratings.iloc[order[is_test]].reset_index(drop=True),
        protocol=protocol,
    )


def _check_fraction(test_fraction: float) -> None:
    if not 0 < test_fraction < 1:
        raise UsageError(f"test fraction must be between 0 and 1, got {test_fraction}")
