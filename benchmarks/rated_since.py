"""What ratings given since a retrain buy: the learned user alone against the learned user moved
by them (`movierec.engine.known_user`), on the ratings the retrain held out.

    python benchmarks/rated_since.py RUN [--out benchmarks/results/rated-since-ml100k.md]

RUN is a retrain's run folder (`movierec retrain` writes it): its model was trained without
each user's newest ratings (`RUN/split/test.csv`). Per user with two or more of them, in
(timestamp, movie id) order, the first half stand for ratings given since the retrain and the
rest are the target: RMSE of the predicted ratings on the target, and NDCG@10 (binary gains,
relevant = 4 stars or more, candidates every movie the user has not rated in training or since,
IDCG over min(relevant, 10)) as PROTOCOLS.md's temporal top-N. Also a fresh fold-in of all the
user's ratings from the average user, what the site did before models knew accounts.
"""

import argparse
import csv
import math
from pathlib import Path

import numpy as np

from movierec.artifacts import read_artifact
from movierec.engine.foldin import FoldInPrior, fold_in, fold_in_prior
from movierec.engine.known_user import current_taste
from movierec.engine.model import ModelTables, load_tables
from movierec.engine.ranking_map import RankingMap
from movierec.engine.scoring import Taste, predicted_ratings, ranking_scores, user_taste


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="a retrain's run folder")
    parser.add_argument("--out", type=Path, help="also write the table here (markdown)")
    args = parser.parse_args()
    model = args.run / args.run.name
    if not (model / "manifest.json").is_file():
        raise SystemExit(f"{args.run} holds no finished model ({model.name}/manifest.json); "
                         "give the folder of a retrain that ran to the end")
    tables = load_tables(read_artifact(model))
    prior = fold_in_prior(tables)
    ranking_map = RankingMap(tables)
    held_out = _held_out(args.run / "split" / "test.csv", tables)
    methods = {
        "learned user (ratings since left out only)": lambda user, movies, stars:
            user_taste(tables, user),
        "learned user moved by the ratings since": lambda user, movies, stars:
            current_taste(tables, prior, lambda: ranking_map, user, movies, stars),
        "fresh fold-in of every rating": lambda user, movies, stars:
            _folded(tables, prior, ranking_map, movies, stars),
    }
    figures: dict[str, list[tuple[float, float | None]]] = {name: [] for name in methods}
    for user, rows in held_out.items():
        half = len(rows) // 2
        since, target = rows[:half], rows[half:]
        trained, trained_stars = tables.seen.row(user)
        since_movies = np.array([movie for movie, _ in since], dtype=np.int64)
        since_stars = np.array([stars for _, stars in since], dtype=np.float64)
        movies = np.concatenate([trained, since_movies])
        stars = np.concatenate([trained_stars, since_stars])
        for name, method in methods.items():
            figures[name].append(_score(tables, method(user, movies, stars), movies, target))
    lines = [f"Model: {model.name}; {len(held_out)} users with 2+ held-out ratings.", "",
             "| method | RMSE on the target | NDCG@10 (users with a relevant target) |",
             "|---|---|---|"]
    baseline = np.array([ndcg for _, ndcg in figures[next(iter(methods))] if ndcg is not None])
    for name, values in figures.items():
        errors = np.array([error for error, _ in values])
        ndcgs = np.array([ndcg for _, ndcg in values if ndcg is not None])
        paired = (ndcgs - baseline).std(ddof=1) / math.sqrt(len(ndcgs))
        lines.append(f"| {name} | {math.sqrt(errors.sum() / _target_count(held_out)):.4f} | "
                     f"{ndcgs.mean():.4f} (paired SE vs the first {paired:.4f}, "
                     f"{len(ndcgs)} users) |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text("# Ratings given since a retrain\n\n" + text + "\n")


def _held_out(path: Path, tables: ModelTables) -> dict[int, list[tuple[int, float]]]:
    """User index -> [(movie index, stars)] in (timestamp, movie id) order, known ids only."""
    rows: dict[int, list[tuple[int, int, int, float]]] = {}
    with path.open(newline="") as file:
        for record in csv.DictReader(file):
            user = tables.users.rows(np.array([int(record["user"])]))[0]
            movie = tables.movies.rows(np.array([int(record["movie"])]))[0]
            if user >= 0 and movie >= 0:
                rows.setdefault(int(user), []).append(
                    (int(record["timestamp"]), int(record["movie"]), int(movie),
                     float(record["rating"])))
    return {user: [(movie, stars) for _, _, movie, stars in sorted(entries)]
            for user, entries in rows.items() if len(entries) >= 2}


def _target_count(held_out: dict[int, list[tuple[int, float]]]) -> int:
    return sum(len(rows) - len(rows) // 2 for rows in held_out.values())


def _folded(tables: ModelTables, prior: FoldInPrior, ranking_map: RankingMap, movies: np.ndarray,
            stars: np.ndarray) -> Taste:
    vector, bias = fold_in(tables, prior, movies, stars, prior.mean_vector)
    return Taste(vector, bias, ranking_map(vector, bias))


def _score(tables: ModelTables, taste: Taste, rated: np.ndarray,
           target: list[tuple[int, float]]) -> tuple[float, float | None]:
    """(sum of squared errors on the target, NDCG@10 or None without a relevant target)."""
    movies = np.array([movie for movie, _ in target], dtype=np.int64)
    stars = np.array([stars for _, stars in target])
    squared = float(((predicted_ratings(tables, taste, movies) - stars) ** 2).sum())
    relevant = set(movies[stars >= 4].tolist())
    if not relevant:
        return squared, None
    scores = ranking_scores(tables, taste)
    scores[rated] = -np.inf
    order = np.lexsort((tables.movies.ids, -scores))[:10]  # a tie: the smaller movie id
    gains = [1.0 / math.log2(rank + 2) for rank, movie in enumerate(order.tolist())
             if movie in relevant]
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(relevant), 10)))
    return squared, sum(gains) / ideal


if __name__ == "__main__":
    main()
