"""Top-n for every user at once: one matrix multiply per block of users, written as CSV."""

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from movierec.atomic import atomic_file
from movierec.engine.filters import Filters, allowed_movies
from movierec.engine.recommender import Recommender
from movierec.engine.scoring import block_scores
from movierec.engine.selection import check_count

BLOCK_USERS = 512
"""Users scored per multiply: a 512 x 3706 float32 block is 7.6 MB, and 512 x 87k is 180 MB."""


def top_n_blocks(
    recommender: Recommender, n: int = 10, *, filters: Filters | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(user indices (B,), movie indices (B, n), scores (B, n)) per block of users, best first.

    Movies a user rated are excluded, as are movies the filters drop. A user with fewer than n
    movies left has -inf scores in the spare slots. Part of the engine, it reads the
    recommender's tables directly.
    """
    tables = recommender._tables
    n = check_count(n, len(recommender._catalogue))
    allowed = allowed_movies(filters, recommender._catalogue, recommender._popularity.counts,
                             tables.movies)
    seen = tables.seen
    user_count = len(tables.users)
    block = max(1, min(BLOCK_USERS, (64 << 20) // max(4 * len(recommender._catalogue), 1)))
    for start in range(0, user_count, block):
        stop = min(start + block, user_count)
        scores = block_scores(tables, slice(start, stop))
        lengths = np.diff(seen.indptr[start : stop + 1])
        rows = np.repeat(np.arange(stop - start), lengths)
        scores[rows, seen.movies[seen.indptr[start] : seen.indptr[stop]]] = -np.inf
        if allowed is not None:
            scores[:, ~allowed] = -np.inf
        top = (
            np.argpartition(-scores, n - 1, axis=1)[:, :n]
            if n < scores.shape[1]
            else (np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy())
        )
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        yield (
            np.arange(start, stop),
            np.take_along_axis(top, order, axis=1),
            np.take_along_axis(top_scores, order, axis=1),
        )


def write_top_n_csv(
    recommender: Recommender,
    destination: Path,
    n: int = 10,
    *,
    filters: Filters | None = None,
    titles: bool = False,
) -> int:
    """Write `user,rank,movie,score` rows of every user's top n to `destination`; rows written.
    With `titles`, a last column holds each movie's display title, quoted (titles hold commas).

    The file appears complete or not at all (`atomic_file`).
    """
    user_ids = recommender._tables.users.ids
    movie_ids = recommender._tables.movies.ids
    line_ends = np.array(
        [',"' + title.replace('"', '""') + '"\n' for title in recommender._catalogue.titles]
        if titles else ["\n"] * len(movie_ids),
        dtype=object,
    )
    written = 0
    with atomic_file(destination) as staging, staging.open("w", newline="") as stream:
        stream.write("user,rank,movie,score,title\n" if titles else "user,rank,movie,score\n")
        for users, movies, scores in top_n_blocks(recommender, n, filters=filters):
            keep = np.isfinite(scores)
            ranks = np.broadcast_to(np.arange(1, movies.shape[1] + 1), movies.shape)
            columns = (
                np.broadcast_to(user_ids[users][:, None], movies.shape)[keep],
                ranks[keep],
                movie_ids[movies[keep]],
                scores[keep],
                line_ends[movies[keep]],
            )
            lines = [
                f"{user},{rank},{movie},{score:.4f}{end}"
                for user, rank, movie, score, end in zip(
                    *(c.tolist() for c in columns), strict=True
                )
            ]
            stream.writelines(lines)
            written += len(lines)
    return written
