"""The user-holdout protocol: how good are the lists of someone who just signed up?

PROTOCOLS.md, "user holdout, first-k ratings": the model never saw the held-out users. Each
one's ratings in (timestamp, movie id) order split in two: the first half is the profile pool,
the rest the test. With the first k ratings of the pool as the whole profile (their stars too),
a method ranks every movie but the profile's; its top 10 is scored against the test ratings at or
above the relevance threshold (binary gains). Users with nothing relevant are skipped.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from movierec.artifacts import Artifact, ArtifactError
from movierec.engine import Recommender
from movierec.evaluation.baselines import EASE, Baseline, ItemKNN, LikedPopularity, Popularity
from movierec.evaluation.metrics import ranking_metrics
from movierec.ids import positions

PROFILE_SIZES = (1, 2, 3, 5, 10)
"""The k of the protocol: how many first ratings a new user has given."""

HELD_OUT_ARRAY = "new_user_ratings"
"""The artifact array in which a user-holdout run keeps its held-out users' ratings."""

ProfileRanker = Callable[[np.ndarray, np.ndarray, int], Sequence[int]]
"""(profile movie ids, their stars, n) -> the n best other movie ids, best first."""


@dataclass(frozen=True)
class NewUserCase:
    """One held-out user: the ratings a profile is drawn from, and what they went on to like."""

    user_id: int
    pool_movies: np.ndarray
    """Movie ids of the first half of their ratings, in the order they gave them."""
    pool_stars: np.ndarray
    relevant: frozenset[int]
    """Movie ids of the second half rated at or above the relevance threshold."""

    def profile(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The first k ratings (all of the pool when it is shorter)."""
        return self.pool_movies[:k], self.pool_stars[:k]


def new_user_cases(ratings: pd.DataFrame, relevant_threshold: float = 4.0) -> list[NewUserCase]:
    """The cases of the held-out users' ratings (user_id, movie_id, rating, timestamp).

    A user needs at least two ratings (one for the pool, one to test) and a relevant test movie;
    the others are left out.
    """
    ordered = ratings.sort_values(["user_id", "timestamp", "movie_id"], kind="stable")
    cases = []
    for user_id, rows in ordered.groupby("user_id", sort=True):
        movies = rows["movie_id"].to_numpy(np.int64)
        stars = rows["rating"].to_numpy(np.float64)
        pool = len(movies) // 2
        relevant = frozenset(movies[pool:][stars[pool:] >= relevant_threshold].tolist())
        if pool and relevant:
            cases.append(NewUserCase(int(user_id), movies[:pool], stars[:pool], relevant))
    return cases


def evaluate_new_users(
    rankers: Mapping[str, ProfileRanker],
    cases: Sequence[NewUserCase],
    catalogue_size: int,
    popularity: Mapping[int, float],
    *,
    profile_sizes: Iterable[int] = PROFILE_SIZES,
    n: int = 10,
) -> dict[str, dict[str, dict[str, float]]]:
    """{method: {str(k): ranking metrics at n}} for every profile size k; `popularity` is the
    train count of each movie id (for the lists' mean popularity)."""
    relevant = {case.user_id: set(case.relevant) for case in cases}
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, rank in rankers.items():
        results[name] = {}
        for k in profile_sizes:
            lists = {case.user_id: list(rank(*case.profile(k), n)) for case in cases}
            results[name][str(k)] = ranking_metrics(lists, relevant, n, catalogue_size,
                                                    popularity)
    return results


def baseline_rankers(train: pd.DataFrame, catalogue: np.ndarray, liked: float = 4.0
                     ) -> dict[str, ProfileRanker]:
    """Popularity, item-kNN (cosine) and EASE (lambda 500) fitted on the binarised `train`,
    each scoring a profile from its movies alone (stars unused), as PROTOCOLS.md defines them;
    and the popularity of `liked`+ ratings, a stronger list for everyone that PROTOCOLS.md's
    set lacks."""
    rankers: dict[str, ProfileRanker] = {}
    for baseline in (Popularity(), ItemKNN(), EASE(regularisation=500.0),
                     LikedPopularity(liked)):
        baseline.fit(train, catalogue)
        rankers[baseline.name] = _profile_ranker(baseline)
    return rankers


def _profile_ranker(baseline: Baseline) -> ProfileRanker:
    catalogue = baseline.movie_ids

    def rank(movies: np.ndarray, stars: np.ndarray, n: int) -> list[int]:
        columns = positions(catalogue, movies)
        columns = columns[columns >= 0]
        if isinstance(baseline, Popularity):
            scores = baseline.counts.copy()
        else:
            scores = np.asarray(baseline.weights[columns].sum(axis=0), dtype=np.float64)
        scores[columns] = -np.inf
        # A stable sort on the negated scores breaks ties toward the smaller movie id.
        order = np.argsort(-scores, kind="stable")[:n]
        return catalogue[order[np.isfinite(scores[order])]].tolist()

    return rank


def mean_ndcg(results: Mapping[str, Mapping[str, float]]) -> float:
    """NDCG averaged over the profile sizes of one method's results."""
    return float(np.mean([metrics["ndcg"] for metrics in results.values()]))


def held_out_ratings(artifact: Artifact) -> pd.DataFrame:
    """The ratings of the users a user-holdout run kept out whole, in dataset ids;
    ArtifactError when the model was trained on another kind of split."""
    if HELD_OUT_ARRAY not in artifact.arrays:
        protocol = artifact.documents.get("split", {}).get("name", "another")
        raise ArtifactError(
            f"{artifact.path}: this model was trained on a {protocol!r} split and holds no "
            "held-out users; train one with `movierec train DATASET --split user-holdout` to "
            "measure new users"
        )
    rows = artifact.array(HELD_OUT_ARRAY)
    user_ids, movie_ids = artifact.array("user_ids"), artifact.array("movie_ids")
    inconsistent = ArtifactError(f"{artifact.path}: new_user_ratings is inconsistent; retrain it")
    if rows.ndim != 2 or rows.shape[1] != 4:
        raise inconsistent
    users, movies = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64)
    if ((users < 0) | (users >= len(user_ids)) | (movies < 0) | (movies >= len(movie_ids))).any():
        raise inconsistent
    return pd.DataFrame({"user_id": user_ids[users], "movie_id": movie_ids[movies],
                         "rating": rows[:, 2], "timestamp": rows[:, 3].astype(np.int64)})


def engine_ranker(engine: Recommender) -> ProfileRanker:
    """The product's own answer: `Recommender.for_new_user` on the profile."""

    def rank(movies: np.ndarray, stars: np.ndarray, n: int) -> list[int]:
        ratings = dict(zip(movies.tolist(), stars.tolist(), strict=True))
        return [pick.movie_id for pick in engine.for_new_user(ratings, n)]

    return rank
