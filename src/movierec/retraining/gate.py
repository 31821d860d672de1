"""The quality gate: the candidate and the published model scored on the same held-out ratings,
and whether the candidate may replace it. No torch: it scores artifacts as the engine does.

Each model is scored on every held-out rating the way it would serve that user:
- a user the model knows (a dataset user; an account, in a retrained model) is scored as
  `movierec evaluate` scores one (`ArtifactModel`): the rating head for RMSE, its ranking
  vectors for the list;
- a user it does not know (an account, in a model trained before it rated) is scored as the
  site serves an account the model has never seen: `Recommender.for_new_user` with the
  account's ratings in the candidate's training part and its demographics where given. Its
  predicted stars give the RMSE, its order the list.
Both lists leave out every movie the user rated in the candidate's training part, so both models
rank the same candidates. A held-out rating the published model trained on (a model of `movierec
train` saw most of the newest ratings) is left out for both (`unseen_by`): scored on it, the
published model would be judged on its training error, and no fair candidate would ever pass.

Metrics at K = 10 over users with a relevant (liked) held-out rating, as in PROTOCOLS.md:
NDCG@10 with binary gains, coverage@10 = distinct movies of those lists / catalogue size.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.typing import DataFrameGroupBy

from movierec.artifacts import read_artifact
from movierec.engine import Recommender
from movierec.evaluation import ArtifactModel, ranking_metrics, rating_metrics, top_k_indices
from movierec.ids import positions
from movierec.site_accounts import SITE_USER_OFFSET, is_site_user

K = 10
SCORE_BLOCK = 512
"""Known users scored at once: a block's score matrix is SCORE_BLOCK x catalogue floats."""

TOLERANCE = {"rmse": 0.01, "ndcg@10": 0.05, "coverage@10": 0.10}
"""How much worse, relatively, the candidate may be on each metric and still pass.

Set from the noise of training the same thing twice on ML-100K (docs/experiments.md): three
seeds of the new-user head spread NDCG@10 over 0.095-0.099 (4%), two seeds of the ranking head
0.179-0.180; coverage@10 moved 0.34 -> 0.32 (6%) between settings that tied on NDCG. So 5% on
NDCG@10 (a little above the seed spread of the head that serves accounts), 10% on coverage (it
swings more, and guards only against a collapse onto a few popular films), and 1% on RMSE
(0.009 at 0.90: the gain of a three-member ensemble, where sampled and full rating histories
differ by 0.0007). A candidate trained for one epoch misses these by far (the tests)."""
LOWER_IS_BETTER = {"rmse"}


@dataclass(frozen=True)
class HeldOut:
    """What the gate scores on: the candidate's training part and the held-out ratings."""

    train: pd.DataFrame
    """user_id, movie_id, rating: what the candidate trained on."""
    test: pd.DataFrame
    """user_id, movie_id, rating: the newest ratings of each user, held out."""
    demographics: Mapping[int, dict[str, Any]]
    """Account user id -> gender, age, occupation as `for_new_user` takes them (given ones)."""
    liked: float
    """The rating from which a held-out rating is relevant."""


@dataclass(frozen=True)
class Verdict:
    """The gate's figures and decision."""

    candidate: dict[str, float]
    """The candidate's figures (`score_model`)."""
    current: dict[str, float]
    """The published model's figures on the same ratings."""
    passed: bool
    """Whether the candidate may be published."""
    reasons: list[str]
    """Why the candidate failed, one line per metric it missed; empty when it passed."""


def score_model(model_dir: Path, held_out: HeldOut) -> dict[str, float]:
    """RMSE, NDCG@10 and coverage@10 of the model in `model_dir` on `held_out`, overall and for
    the site's accounts alone, with the number of users it knew."""
    artifact = read_artifact(model_dir)
    offline, engine = ArtifactModel(artifact), Recommender(artifact)
    test = held_out.test
    test_users = test["user_id"].to_numpy(np.int64)
    test_movies = test["movie_id"].to_numpy(np.int64)
    # Known or not, a user's rows first get the evaluation's prediction (its fallback for an
    # unknown user); an unknown user's are then replaced by what the site would show.
    predicted = offline.predict(test_users, test_movies)
    rows_of = test.groupby("user_id").indices
    users = np.array(sorted(rows_of), dtype=np.int64)
    known = offline.user_indices(users) >= 0
    relevant = _relevant(test, held_out.liked)
    rated = held_out.train.groupby("user_id")
    lists = _known_lists(offline, [user for user in users[known] if user in relevant], rated)
    for user in users[~known].tolist():
        stars, ranked = _as_new_user(engine, user, rated, held_out.demographics)
        rows = rows_of[user]
        predicted[rows] = [stars.get(movie, guess) for movie, guess
                           in zip(test_movies[rows].tolist(), predicted[rows], strict=True)]
        lists[user] = ranked[:K]
    figures = _figures(predicted, test, lists, relevant, engine.catalogue_size)
    accounts = test_users >= SITE_USER_OFFSET
    if accounts.any():
        mine = {user: movies for user, movies in relevant.items() if is_site_user(user)}
        account_figures = _figures(predicted[accounts], test[accounts], lists, mine,
                                   engine.catalogue_size)
        figures |= {f"accounts {name}": value for name, value in account_figures.items()}
    figures["users known"] = float(known.sum())
    figures["users scored"] = float(len(users))
    return figures


def unseen_by(model_dir: Path, held_out: HeldOut) -> HeldOut:
    """`held_out` without the held-out ratings the model in `model_dir` trained on: its training
    ratings are in the artifact (`seen_*`), so the gate can score both models on what neither
    has seen."""
    artifact = read_artifact(model_dir)
    offline = ArtifactModel(artifact)
    indptr = artifact.array("seen_indptr")
    movie_count = len(offline.movie_ids)
    trained = (np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
               * movie_count + artifact.array("seen_movies").astype(np.int64))
    test = held_out.test
    users = offline.user_indices(test["user_id"].to_numpy(np.int64))
    movies = offline.movie_indices(test["movie_id"].to_numpy(np.int64))
    known = (users >= 0) & (movies >= 0)
    seen = np.zeros(len(test), dtype=bool)
    seen[known] = np.isin(users[known] * movie_count + movies[known], trained)
    return dataclasses.replace(held_out, test=test[~seen].reset_index(drop=True))


def judge(candidate: dict[str, float], current: dict[str, float],
          tolerance: Mapping[str, float] = TOLERANCE) -> Verdict:
    """Whether `candidate` is no worse than `current` beyond `tolerance` on every metric."""
    reasons = []
    for name, allowed in tolerance.items():
        new, old = candidate[name], current[name]
        if np.isnan(old):
            continue
        if name in LOWER_IS_BETTER:
            worse, limit = new > old * (1 + allowed), old * (1 + allowed)
        else:
            worse, limit = new < old * (1 - allowed), old * (1 - allowed)
        if worse or np.isnan(new):
            reasons.append(f"{name} {new:.4f} against the current model's {old:.4f}: beyond the "
                           f"{allowed:.0%} tolerance (limit {limit:.4f})")
    return Verdict(candidate, current, not reasons, reasons)


def gated_figures(verdict: Verdict) -> dict[str, float]:
    """The candidate's figures the gate judged, as a published version records them."""
    return {name: verdict.candidate[name] for name in TOLERANCE
            if np.isfinite(verdict.candidate[name])}


def _relevant(test: pd.DataFrame, liked: float) -> dict[int, set[int]]:
    """Each user's liked held-out movies (users with none are left out)."""
    liked_rows = test[test["rating"] >= liked]
    return {int(user): set(group["movie_id"].astype(int)) for user, group
            in liked_rows.groupby("user_id")}


def _known_lists(offline: ArtifactModel, users: list[int], rated: DataFrameGroupBy
                 ) -> dict[int, list[int]]:
    """The top K of known users by `ArtifactModel.score_users`, their training movies left out."""
    lists: dict[int, list[int]] = {}
    catalogue = offline.catalogue
    for start in range(0, len(users), SCORE_BLOCK):
        block = np.asarray(users[start:start + SCORE_BLOCK], dtype=np.int64)
        scores = offline.score_users(block)
        exclude = np.zeros(scores.shape, dtype=bool)
        for row, user in enumerate(block.tolist()):
            if user in rated.groups:
                columns = positions(catalogue, rated.get_group(user)["movie_id"])
                exclude[row, columns[columns >= 0]] = True
        top = top_k_indices(scores, K, exclude)
        for user, row in zip(block.tolist(), top, strict=True):
            lists[user] = [int(catalogue[column]) for column in row if column >= 0]
    return lists


def _as_new_user(engine: Recommender, user: int, rated: DataFrameGroupBy,
                 demographics: Mapping[int, dict[str, Any]]) -> tuple[dict[int, float], list[int]]:
    """(predicted stars by movie, the ranked list) of a user the model does not know, as the
    site would serve them: from their training ratings and given demographics."""
    profile: dict[int, float] = {}
    if user in rated.groups:
        own = rated.get_group(user)
        profile = {int(movie): float(stars) for movie, stars
                   in zip(own["movie_id"], own["rating"], strict=True)
                   if engine.knows_movie(int(movie))}
    who = demographics.get(int(user), {}) if engine.has_demographics else {}
    picks = engine.for_new_user(profile, n=engine.catalogue_size, **who)
    return ({pick.movie_id: pick.predicted_rating for pick in picks},
            [pick.movie_id for pick in picks])


def _figures(predicted: np.ndarray, test: pd.DataFrame, lists: dict[int, list[int]],
             relevant: dict[int, set[int]], catalogue_size: int) -> dict[str, float]:
    errors = rating_metrics(predicted, test["rating"].to_numpy(np.float64))
    ranking = ranking_metrics(lists, relevant, K, n_catalogue=catalogue_size)
    return {"rmse": errors["rmse"], "ndcg@10": ranking["ndcg"],
            "coverage@10": ranking["coverage"], "ratings": errors["n_ratings"],
            "users evaluated": ranking["users_evaluated"]}
