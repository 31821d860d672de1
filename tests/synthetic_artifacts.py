"""The one writer of synthetic model artifacts for tests: planted arrays in, an artifact out.

Each suite plants its own truth (genre clusters, hand-set vectors) and hands the tables here, so
the layout a trained model has (id arrays, vectors, biases, the seen ratings as CSR rows, the
movies and scoring documents) is written in one place.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from movierec.artifacts import write_artifact


def movie_records(movie_ids: Sequence[int] | np.ndarray, titles: Sequence[str] | None = None
                  ) -> list[dict[str, Any]]:
    """Plain movie records: "Movie <id>" (or the given titles), no year, genres or links."""
    titles = titles or [f"Movie {movie}" for movie in movie_ids]
    return [{"movie_id": int(movie), "title": title, "year": None, "genres": [],
             "imdb_id": None, "tmdb_id": None}
            for movie, title in zip(movie_ids, titles, strict=True)]


def write_model(
    destination: Path,
    *,
    user_ids: Sequence[int] | np.ndarray,
    movies: Sequence[Mapping[str, Any]],
    user_vectors: np.ndarray,
    movie_vectors: np.ndarray,
    seen: Sequence[Mapping[int, float]],
    user_bias: np.ndarray | None = None,
    movie_bias: np.ndarray | None = None,
    global_bias: float = 3.0,
    rating_scale: tuple[float, float, float] = (1.0, 5.0, 1.0),
    arrays: Mapping[str, np.ndarray] | None = None,
    documents: Mapping[str, Any] | None = None,
    scoring: Mapping[str, Any] | None = None,
    provenance: dict[str, Any] | None = None,
) -> Path:
    """Write a model artifact at `destination` and return its path.

    `movies` are the movie records in row order (their ids are the movie ids); `seen[u]` maps
    the movie rows user row u rated in training to the stars, stored in ascending movie row as
    training stores them. `arrays` adds or replaces arrays (heads, demographics, test
    triples), `documents` adds or replaces documents (config, split, metrics), `scoring` adds
    keys to the scoring document. Biases default to zero.
    """
    user_count, movie_count = len(user_ids), len(movies)
    indptr, seen_movies, seen_ratings = [0], [], []
    for rated in seen:
        rows = sorted(rated)
        seen_movies += rows
        seen_ratings += [rated[row] for row in rows]
        indptr.append(len(seen_movies))
    if len(seen) != user_count:
        raise ValueError(f"seen has {len(seen)} users' ratings for {user_count} users")
    tables = {
        "user_ids": np.asarray(user_ids, dtype=np.int64),
        "movie_ids": np.array([record["movie_id"] for record in movies], dtype=np.int64),
        "user_vectors": np.asarray(user_vectors, dtype=np.float32),
        "movie_vectors": np.asarray(movie_vectors, dtype=np.float32),
        "user_bias": _bias(user_bias, user_count),
        "movie_bias": _bias(movie_bias, movie_count),
        "seen_indptr": np.array(indptr, dtype=np.int64),
        "seen_movies": np.array(seen_movies, dtype=np.int32),
        "seen_ratings": np.array(seen_ratings, dtype=np.float32),
    }
    scoring_document = {"global_bias": global_bias, "rating_scale": list(rating_scale)}
    all_documents = {
        "config": {"preset": "synthetic-test"},
        "scoring": scoring_document | dict(scoring or {}),
        "movies": [dict(record) for record in movies],
    } | dict(documents or {})
    return write_artifact(Path(destination), arrays=tables | dict(arrays or {}),
                          documents=all_documents, provenance=provenance)


def _bias(values: np.ndarray | None, count: int) -> np.ndarray:
    if values is None:
        return np.zeros(count, dtype=np.float32)
    return np.asarray(values, dtype=np.float32)
