"""The retrain's parts on their own: accounts as users, the split, the site's CSVs, the gate's
rule and the lock."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_artifacts import movie_records, write_model

from movierec.data.features import load_features
from movierec.data.site_users import read_site_users, with_site_users
from movierec.errors import DataError
from movierec.retraining import (
    HeldOut,
    RetrainBusy,
    judge,
    new_rating_count,
    retrain_lock,
    retrain_split,
    site_ratings_of,
)
from movierec.retraining.gate import unseen_by
from movierec.site_accounts import site_user_id


def site_frame(rows: list[tuple[int, int, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["user_id", "movie_id", "rating", "timestamp"])


def test_accounts_become_users_with_their_demographics_or_the_most_common_codes(
        release: Path, tmp_path: Path) -> None:
    features = load_features(release)
    users_csv = tmp_path / "users.csv"
    users_csv.write_text(f"user,gender,age,occupation\n{site_user_id(1)},F,25,12\n"
                         f"{site_user_id(2)},,,\n")
    added = with_site_users(features, np.array([site_user_id(2), site_user_id(1)]),
                            read_site_users(users_csv))
    assert added.user_ids[-2:].tolist() == [site_user_id(1), site_user_id(2)]
    assert (added.user_gender[-2], added.user_age[-2], added.user_occupation[-2]) == (0, 2, 12)
    assert added.user_occupation[-1] == np.bincount(features.user_occupation).argmax()
    assert (added.user_ids[added.ratings["user_index"]] == added.ratings["user_id"]).all()
    assert added.data_checksum == features.data_checksum


def test_a_dataset_user_id_is_no_account(release: Path) -> None:
    features = load_features(release)
    with pytest.raises(DataError, match="is not above 10,000,000"):
        with_site_users(features, features.user_ids[:1])


def test_a_bad_line_of_the_accounts_file_is_named(tmp_path: Path) -> None:
    users_csv = tmp_path / "users.csv"
    users_csv.write_text("user,gender,age,occupation\n10000001,F,25,12\n10000002,X,30,1\n")
    with pytest.raises(DataError, match=r"users.csv, line 3: '10000002,X,30,1'"):
        read_site_users(users_csv)


def test_site_ratings_keep_known_movies_one_rating_each_on_the_scale(release: Path) -> None:
    features = load_features(release)
    movie = int(features.movie_ids[0])
    site = site_ratings_of(site_frame([
        (site_user_id(1), movie, 3.0, 10), (site_user_id(1), movie, 7.0, 20),
        (site_user_id(1), 999_999, 4.0, 30),
    ]), features)
    assert site.ratings[["movie_id", "rating"]].values.tolist() == [[movie, 5.0]]
    assert site.summary() == {"count": 1, "accounts": 1, "newest": 20, "unknown_movies": 1}
    with pytest.raises(DataError, match="user 5 is not a site account"):
        site_ratings_of(site_frame([(5, movie, 3.0, 10)]), features)


def test_the_newest_tenth_of_every_users_ratings_is_held_out(release: Path) -> None:
    features = load_features(release)
    movies = features.movie_ids[:20].tolist()
    account = site_user_id(1)
    site = site_ratings_of(site_frame([(account, movie, 4.0, 100 + position)
                                       for position, movie in enumerate(movies)]), features)
    split = retrain_split(features, site)
    held = split.test[split.test["user_id"] == account]
    assert sorted(held["movie_id"]) == sorted(movies[-2:])
    per_user = features.ratings.groupby("user_id").size()
    assert len(split.test) == 2 + int(np.ceil(per_user[per_user >= 5] / 10).sum())
    assert len(split.train) + len(split.test) == len(features.ratings) + 20


def test_only_ratings_newer_than_the_models_count() -> None:
    ratings = site_frame([(10_000_001, 1, 4.0, stamp) for stamp in (5, 10, 15)])
    assert new_rating_count(ratings, None) == 3
    assert new_rating_count(ratings, {"count": 2, "newest": 10}) == 1


def test_the_gate_allows_a_little_worse_and_refuses_more() -> None:
    current = {"rmse": 0.90, "ndcg@10": 0.20, "coverage@10": 0.30}
    close = {"rmse": 0.905, "ndcg@10": 0.195, "coverage@10": 0.28}
    assert judge(close, current).passed
    worse = {"rmse": 0.95, "ndcg@10": 0.18, "coverage@10": 0.30}
    verdict = judge(worse, current)
    assert not verdict.passed
    assert [reason.split()[0] for reason in verdict.reasons] == ["rmse", "ndcg@10"]


def test_the_gate_scores_no_rating_the_published_model_trained_on(tmp_path: Path) -> None:
    # Users 1 and 2 rated movies 10 and 20 in the published model's training, user 1 also 30.
    published = write_model(
        tmp_path / "published", user_ids=[1, 2], movies=movie_records([10, 20, 30]),
        user_vectors=np.zeros((2, 2)), movie_vectors=np.zeros((3, 2)),
        seen=[{0: 4.0, 2: 5.0}, {1: 3.0}])
    test = site_frame([(1, 10, 4, 0), (1, 20, 2, 0), (2, 20, 3, 0), (2, 30, 5, 0),
                       (site_user_id(1), 10, 5, 0), (1, 99, 4, 0)])
    held_out = HeldOut(test.iloc[:0], test, {}, 4.0)
    kept = unseen_by(published, held_out).test
    assert list(zip(kept["user_id"], kept["movie_id"], strict=True)) == [
        (1, 20), (2, 30), (site_user_id(1), 10), (1, 99)]


def test_the_lock_is_held_once(tmp_path: Path) -> None:
    busy = pytest.raises(RetrainBusy, match="another retrain is running")
    with retrain_lock(tmp_path), busy, retrain_lock(tmp_path):
        pass
    with retrain_lock(tmp_path) as path:
        assert path.read_text().strip().isdigit()
