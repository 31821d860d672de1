"""The web site's accounts as users of a prepared release, for retraining on their ratings.

An account becomes the user `SITE_USER_OFFSET + account id` (`movierec.site_accounts`).

The network reads a gender, age and occupation code for every user of a release with
demographics. An account may give none of them: it then gets the release's most common code of
each field. That is the guess that moves the shared demographic part of the user tower least;
the account's own id embedding learns the rest from its ratings.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from movierec.data import codes
from movierec.data.dataset import canonical_users
from movierec.data.features import Features
from movierec.errors import DataError
from movierec.ids import positions
from movierec.site_accounts import SITE_USER_OFFSET

SITE_USERS_COLUMNS = ("user", "gender", "age", "occupation")
"""The header of a site users CSV; an empty value is "not given"."""


def read_site_users(path: Path) -> pd.DataFrame:
    """A `user,gender,age,occupation` CSV in ML-1M's codes (F/M, the age bucket's code, the
    occupation code; empty where not given) as a canonical users frame."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{path}: not a readable CSV ({error})") from None
    if tuple(frame.columns) != SITE_USERS_COLUMNS:
        raise DataError(f"{path}, line 1: the header must be {','.join(SITE_USERS_COLUMNS)}")
    numbers = {name: pd.to_numeric(frame[name].replace("", None), errors="coerce")
               for name in ("user", "age", "occupation")}
    bad = (numbers["user"].isna() | (numbers["age"].isna() & (frame["age"] != ""))
           | (numbers["occupation"].isna() & (frame["occupation"] != ""))
           | ~numbers["age"].isin([*codes.AGE_BUCKETS, np.nan])
           | ~numbers["occupation"].isin([*codes.OCCUPATIONS, np.nan])
           | ~frame["gender"].isin([*codes.GENDERS, ""]))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        shown = ",".join(frame.iloc[row])
        raise DataError(f"{path}, line {row + 2}: {shown!r} is not a user id, F/M or empty, an "
                        "ML-1M age code or empty, and an occupation code 0-20 or empty")
    return canonical_users(pd.DataFrame({
        "user_id": numbers["user"], "gender": frame["gender"].replace("", None),
        "age": numbers["age"], "occupation": numbers["occupation"],
    }))


def with_site_users(features: Features, user_ids: np.ndarray,
                    demographics: pd.DataFrame | None = None) -> Features:
    """`features` with every id of `user_ids` added as a user of its own, with its row of
    `demographics` (a canonical users frame) where it has one.

    DataError when an id is a dataset user's, or not a site account's.
    """
    added = np.unique(np.asarray(user_ids, dtype=np.int64))
    clashing = added[(positions(features.user_ids, added) >= 0) | (added < SITE_USER_OFFSET)]
    if len(clashing):
        raise DataError(f"site user id {clashing[0]} is not above {SITE_USER_OFFSET:,} or is "
                        "already a dataset user; export the ratings with `manage.py "
                        "export_ratings` (its default --user-id-offset)")
    given = (demographics if demographics is not None
             else canonical_users(pd.DataFrame({"user_id": []})))
    rows = canonical_users(pd.DataFrame({"user_id": added})).drop(
        columns=["gender", "age", "occupation"]).merge(
        given[["user_id", "gender", "age", "occupation"]], on="user_id", how="left")
    users = pd.concat([features.users, canonical_users(rows)], ignore_index=True)
    order = np.argsort(users["user_id"].to_numpy(np.int64), kind="stable")
    users = users.iloc[order].reset_index(drop=True)
    user_ids_all = users["user_id"].to_numpy(np.int64)
    ratings = features.ratings.copy()
    ratings["user_index"] = positions(user_ids_all, ratings["user_id"]).astype(np.int32)
    demographic_arrays = (
        _demographic_codes(features, rows, order) if features.has_demographics
        else {"user_gender": None, "user_age": None, "user_occupation": None})
    manifest = {**features.manifest, "site_users": len(added)}
    return Features(**{**features.__dict__, "user_ids": user_ids_all, "users": users,
                       "ratings": ratings, "manifest": manifest, **demographic_arrays})


def _demographic_codes(features: Features, added: pd.DataFrame, order: np.ndarray
                       ) -> dict[str, np.ndarray]:
    """The features' code arrays with the added users' codes appended, then put in `order`;
    a field an account left empty gets the dataset's most common code of it."""
    age_index = {code: index for index, code in enumerate(codes.AGE_BUCKETS)}
    given = {
        "user_gender": added["gender"].map(codes.GENDERS, na_action="ignore"),
        "user_age": added["age"].map(age_index, na_action="ignore"),
        "user_occupation": added["occupation"],
    }
    arrays = {}
    for name, values in given.items():
        known: np.ndarray = getattr(features, name)
        common = int(np.bincount(known).argmax()) if len(known) else 0
        filled = pd.to_numeric(values).fillna(common).to_numpy(np.int64)
        arrays[name] = np.concatenate([known, filled])[order]
    return arrays
