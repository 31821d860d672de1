"""Split properties: disjoint, complete, the right sizes and the right order in time."""

import numpy as np
import pandas as pd
import pytest

from movierec.data.splits import (
    files_split,
    leave_last_out,
    random_split,
    read_ratings_csv,
    split_ratings,
    temporal_split,
    user_holdout,
)
from movierec.errors import DataError, UsageError


@pytest.fixture
def ratings(rng):
    users = np.repeat(np.arange(1, 41), rng.integers(1, 30, size=40))
    count = len(users)
    return pd.DataFrame({
        "user_id": users.astype("int32"),
        "movie_id": rng.integers(1, 500, size=count).astype("int32"),
        "rating": rng.integers(1, 6, size=count).astype("float32"),
        # Few distinct timestamps, so ties must be broken by movie id.
        "timestamp": rng.integers(0, 5, size=count).astype("int64"),
        "row": np.arange(count),
    })


def _assert_partition(split, ratings):
    rows = np.concatenate([split.train["row"], split.test["row"]])
    assert sorted(rows) == list(range(len(ratings)))


def test_random_split_sizes_and_reference_permutation(ratings):
    split = random_split(ratings, test_fraction=0.1, seed=42)
    _assert_partition(split, ratings)
    assert len(split.test) == round(len(ratings) * 0.1)
    permutation = np.random.default_rng(42).permutation(len(ratings))
    assert split.test["row"].tolist() == permutation[len(ratings) - len(split.test):].tolist()
    assert split.protocol == {"name": "random", "test_fraction": 0.1, "seed": 42}


def test_random_split_is_deterministic_per_seed(ratings):
    assert random_split(ratings, 0.2, 3).test.equals(random_split(ratings, 0.2, 3).test)
    assert not random_split(ratings, 0.2, 3).test.equals(random_split(ratings, 0.2, 4).test)


def test_temporal_split_holds_out_each_users_last_ceil_fraction(ratings):
    split = temporal_split(ratings, test_fraction=0.2)
    _assert_partition(split, ratings)
    for user, group in ratings.groupby("user_id"):
        test = split.test[split.test["user_id"] == user]
        expected = (len(group) + 4) // 5 if len(group) >= 5 else 0
        assert len(test) == expected
        if expected:
            train = split.train[split.train["user_id"] == user]
            last_train = max(zip(train["timestamp"], train["movie_id"], strict=True))
            first_test = min(zip(test["timestamp"], test["movie_id"], strict=True))
            assert last_train <= first_test


def test_leave_last_out_takes_one_per_user(ratings):
    split = leave_last_out(ratings)
    _assert_partition(split, ratings)
    counts = ratings.groupby("user_id").size()
    assert len(split.test) == int((counts > 1).sum())
    assert split.test["user_id"].is_unique
    for row in split.test.itertuples():
        mine = ratings[ratings["user_id"] == row.user_id]
        assert (row.timestamp, row.movie_id) == max(
            zip(mine["timestamp"], mine["movie_id"], strict=True))


def test_user_holdout_keeps_a_fifth_of_the_users_out_whole(ratings):
    split = user_holdout(ratings, 0.2, seed=42)
    users = np.unique(ratings["user_id"])
    held_out = np.random.default_rng(42).choice(users, size=len(users) // 5, replace=False)
    assert set(split.new_users["user_id"]) == set(held_out.tolist())
    # Held-out users appear nowhere else; everyone else's last rating is the test part.
    assert not set(held_out) & (set(split.train["user_id"]) | set(split.test["user_id"]))
    rows = np.concatenate([split.train["row"], split.test["row"], split.new_users["row"]])
    assert sorted(rows) == list(range(len(ratings)))
    known = ratings[~ratings["user_id"].isin(held_out)]
    assert split.test.equals(leave_last_out(known).test)
    assert split.protocol == {"name": "user-holdout", "held_out_fraction": 0.2, "seed": 42,
                              "new_users": len(users) // 5}


def test_user_holdout_orders_the_new_users_ratings_in_time(ratings):
    new_users = user_holdout(ratings, 0.2, seed=1).new_users
    keys = list(zip(new_users["user_id"], new_users["timestamp"], new_users["movie_id"],
                    strict=True))
    assert keys == sorted(keys)


def test_bad_fraction_is_refused(ratings):
    with pytest.raises(UsageError):
        user_holdout(ratings, 1.0)
    with pytest.raises(UsageError, match="between 0 and 1"):
        random_split(ratings, 1.5)


def test_split_ratings_picks_the_protocol_and_its_default_seed(ratings):
    for picked, direct in [(split_ratings(ratings, "random", 0.1), random_split(ratings, 0.1, 0)),
                           (split_ratings(ratings, "user-holdout"), user_holdout(ratings, 0.2, 42)),
                           (split_ratings(ratings, "leave-last-out"), leave_last_out(ratings))]:
        assert picked.protocol == direct.protocol
        pd.testing.assert_frame_equal(picked.test, direct.test)
    with pytest.raises(UsageError, match="unknown split 'by-genre'; choose one of random"):
        split_ratings(ratings, "by-genre")


def test_files_split_reads_user_movie_rating_timestamp(tmp_path):
    (tmp_path / "train.csv").write_text("user,movie,rating,timestamp\n1,10,4,100\n2,11,3.5,101\n")
    (tmp_path / "test.csv").write_text("user,movie,rating\n1,11,5\n")
    split = files_split(tmp_path / "train.csv", tmp_path / "test.csv")
    assert split.train["movie_id"].tolist() == [10, 11]
    assert split.train["rating"].tolist() == [4.0, 3.5]
    assert split.test["timestamp"].tolist() == [0]
    assert split.protocol["name"] == "files"


def test_files_split_names_the_bad_line(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("user,movie,rating,timestamp\n1,10,4,100\n2,eleven,3,101\n")
    with pytest.raises(DataError, match=r"train\.csv, line 3: movie must be a whole number"):
        read_ratings_csv(path)
    path.write_text("user,film,rating\n1,10,4\n")
    with pytest.raises(DataError, match="missing column\\(s\\) movie"):
        read_ratings_csv(path)
