"""The seed's features of a release, saved with their vocabularies (`movierec data prepare`).

A prepared folder holds:
- `ratings.parquet`: user_index, movie_index, user_id, movie_id, rating, timestamp (file order);
- `movies.parquet`, `users.parquet`: the canonical tables, in index order;
- one `.npy` per feature array (see `Features`), with the ids of films the release listed twice
  (`movie_aliases`) and the movies no list may show (`movie_unlisted`);
- `vocab.json`: the id -> token lists, "<PAD>" at id 0, sorted so that ids never change;
- `manifest.json`: format version, source checksum, counts and the sha256 of every file.
Writing the same input twice gives byte-identical files.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from movierec import paths
from movierec.atomic import atomic_folder, sha256_file
from movierec.data import codes
from movierec.data.dataset import Dataset, canonical_movies, canonical_users
from movierec.data.duplicates import merge_duplicates, unlisted_movies
from movierec.data.tokens import PAD, TITLE_LENGTH, normalised_words, seed_words
from movierec.errors import DataError
from movierec.ids import positions

FORMAT = "movierec-prepared"
FORMAT_VERSION = 1
_ARRAYS = ("user_ids", "movie_ids", "user_gender", "user_age", "user_occupation",
           "movie_genres", "movie_title_seed", "movie_title_words", "movie_aliases",
           "movie_unlisted")


@dataclass(frozen=True)
class Features:
    """A release turned into the seed network's inputs. Indices are positions in the id arrays."""

    name: str
    user_ids: np.ndarray
    """(U,) int64, sorted dataset user ids; a user's index is its position."""
    movie_ids: np.ndarray
    """(M,) int64, sorted dataset movie ids, every listed movie whether rated or not."""
    user_gender: np.ndarray | None
    """(U,) int64, F -> 0, M -> 1; None for releases without demographics."""
    user_age: np.ndarray | None
    """(U,) int64, age bucket index 0..6."""
    user_occupation: np.ndarray | None
    """(U,) int64, occupation code 0..20."""
    movie_genres: np.ndarray
    """(M, G) int64 genre ids padded with 0 (`<PAD>`); G is the number of genres."""
    movie_title_seed: np.ndarray
    """(M, 15) int64 word ids of the seed's tokenisation, padded with 0."""
    movie_title_words: np.ndarray
    """(M, 15) int64 word ids of the normalised tokenisation, padded with 0."""
    movie_aliases: np.ndarray
    """(A, 2) int64 alias id, canonical id: the other ids of films the release listed twice,
    merged into their smallest id; no alias is in `movie_ids` (see `movierec.data.duplicates`)."""
    movie_unlisted: np.ndarray
    """(M,) bool: movies no list may show (a placeholder title such as "unknown"); they train."""
    ratings: pd.DataFrame
    """user_index, movie_index (int32), user_id, movie_id (int32), rating (float32), timestamp."""
    movies: pd.DataFrame
    """The canonical movies table in movie index order."""
    users: pd.DataFrame
    """The canonical users table in user index order."""
    vocab: dict[str, list[str]]
    """"genres", "title_seed", "title_words": id -> token, `<PAD>` at 0."""
    manifest: dict[str, Any]

    @property
    def has_demographics(self) -> bool:
        return self.user_gender is not None

    @property
    def rating_scale(self) -> tuple[float, float, float]:
        low, high, step = self.manifest["rating_scale"]
        return (float(low), float(high), float(step))

    @property
    def data_checksum(self) -> str:
        """The sha256 of the prepared ratings file: what a model was trained on."""
        return self.manifest["files"]["ratings.parquet"]

    def index_ratings(self, frame: pd.DataFrame, *, source: str = "ratings") -> pd.DataFrame:
        """`frame` (with user_id, movie_id) plus user_index and movie_index columns.

        DataError names the first unknown ids, since a model can say nothing about them.
        """
        users = _lookup(self.user_ids, frame["user_id"].to_numpy(), f"{source}: user")
        movies = _lookup(self.movie_ids, frame["movie_id"].to_numpy(), f"{source}: movie")
        indexed = frame.copy()
        indexed["user_index"] = users.astype(np.int32)
        indexed["movie_index"] = movies.astype(np.int32)
        return indexed


def prepare(dataset: Dataset, *, source_checksum: str) -> Features:
    """Compute the seed's features of `dataset`, its duplicate listings merged first."""
    for frame, what in ((dataset.users, "user"), (dataset.movies, "movie")):
        if frame[f"{what}_id"].duplicated().any():
            raise DataError(f"{dataset.name}: a {what} id is listed twice in the {what}s file")
    merged = merge_duplicates(dataset)
    dataset = merged.dataset
    users = dataset.users.sort_values("user_id", kind="stable").reset_index(drop=True)
    movies = dataset.movies.sort_values("movie_id", kind="stable").reset_index(drop=True)
    user_ids = users["user_id"].to_numpy(np.int64)
    movie_ids = movies["movie_id"].to_numpy(np.int64)
    unlisted = unlisted_movies(movies)
    ratings = dataset.ratings.copy()
    ratings.insert(0, "user_index", positions(user_ids, ratings["user_id"]).astype(np.int32))
    ratings.insert(1, "movie_index", positions(movie_ids, ratings["movie_id"]).astype(np.int32))
    genre_vocab = [PAD, *dataset.genres]
    seed_vocab, seed_ids = _encode_titles(movies["title"], seed_words)
    words_vocab, words_ids = _encode_titles(movies["title"], normalised_words)
    demographics = _demographics(users) if dataset.has_demographics else (None, None, None)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "dataset": dataset.name,
        "source_sha256": source_checksum,
        "has_demographics": dataset.has_demographics,
        "rating_scale": list(dataset.rating_scale),
        "counts": {**dataset.summary(), "genres": len(genre_vocab) - 1,
                   "title_words_seed": len(seed_vocab) - 1,
                   "title_words": len(words_vocab) - 1,
                   "merged_ids": len(merged.aliases), "merged_films": merged.films,
                   "ratings_moved": merged.ratings_moved,
                   "double_ratings": merged.double_ratings,
                   "unlisted_movies": int(unlisted.sum())},
    }
    return Features(
        name=dataset.name,
        user_ids=user_ids,
        movie_ids=movie_ids,
        user_gender=demographics[0],
        user_age=demographics[1],
        user_occupation=demographics[2],
        movie_genres=_encode_genres(movies["genres"], genre_vocab),
        movie_title_seed=seed_ids,
        movie_title_words=words_ids,
        movie_aliases=merged.aliases,
        movie_unlisted=unlisted,
        ratings=ratings,
        movies=movies,
        users=users,
        vocab={"genres": genre_vocab, "title_seed": seed_vocab, "title_words": words_vocab},
        manifest=manifest,
    )


def save_features(features: Features, folder: Path) -> Features:
    """Write `features` into `folder` atomically; return them with the final manifest."""
    with atomic_folder(Path(folder)) as staging:
        _write_parquet(features.ratings, staging / "ratings.parquet")
        _write_parquet(features.movies, staging / "movies.parquet")
        _write_parquet(features.users, staging / "users.parquet")
        for name in _ARRAYS:
            values = getattr(features, name)
            if values is not None:
                np.save(staging / f"{name}.npy", values, allow_pickle=False)
        (staging / "vocab.json").write_text(_json(features.vocab))
        files = {item.name: sha256_file(item) for item in sorted(staging.iterdir())}
        manifest = {**features.manifest, "files": files}
        (staging / "manifest.json").write_text(_json(manifest))
    return Features(**{**features.__dict__, "manifest": manifest})


def is_prepared_folder(folder: Path) -> bool:
    """Whether `folder` holds the manifest `save_features` writes (of any format version)."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def resolve_prepared(name_or_folder: str | Path) -> Path:
    """The prepared folder for a release name (under MOVIEREC_HOME) or a folder path."""
    candidate = Path(name_or_folder)
    if (candidate / "manifest.json").is_file():
        return candidate
    folder = paths.prepared_dir(str(name_or_folder))
    if (folder / "manifest.json").is_file():
        return folder
    raise DataError(
        f"{name_or_folder}: not a prepared dataset; run `movierec data prepare {name_or_folder}` "
        "first (after `movierec data fetch`), or give the path of a prepared folder"
    )


def load_features(name_or_folder: str | Path) -> Features:
    """Read a prepared folder (or the prepared release called `name_or_folder`)."""
    folder = resolve_prepared(name_or_folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise DataError(
            f"{folder}: prepared with another format version; run `movierec data prepare "
            f"{manifest.get('dataset', 'NAME')}` again"
        )
    for name in manifest["files"]:
        if not (folder / name).is_file():
            raise DataError(f"{folder}: {name} is missing; run `movierec data prepare` again")
    arrays = {
        name: (np.load(folder / f"{name}.npy", allow_pickle=False)
               if (folder / f"{name}.npy").is_file() else None)
        for name in _ARRAYS
    }
    # Folders prepared before duplicates were merged: nothing merged, every movie listed.
    if arrays["movie_aliases"] is None:
        arrays["movie_aliases"] = np.empty((0, 2), dtype=np.int64)
    if arrays["movie_unlisted"] is None:
        arrays["movie_unlisted"] = np.zeros(len(arrays["movie_ids"]), dtype=bool)
    return Features(
        name=manifest["dataset"],
        ratings=pd.read_parquet(folder / "ratings.parquet"),
        movies=canonical_movies(pd.read_parquet(folder / "movies.parquet")),
        users=canonical_users(pd.read_parquet(folder / "users.parquet")),
        vocab=json.loads((folder / "vocab.json").read_text()),
        manifest=manifest,
        **arrays,
    )


def _demographics(users: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gender = users["gender"].map(codes.GENDERS).to_numpy(np.int64)
    age_order = {code: index for index, code in enumerate(codes.AGE_BUCKETS)}
    age = users["age"].astype("int64").map(age_order).to_numpy(np.int64)
    occupation = users["occupation"].to_numpy(np.int64)
    return gender, age, occupation


def _encode_genres(genres: pd.Series, vocab: list[str]) -> np.ndarray:
    ids = {genre: index for index, genre in enumerate(vocab)}
    width = len(vocab) - 1
    encoded = np.zeros((len(genres), width), dtype=np.int64)
    for row, value in enumerate(genres):
        names = [g for g in value.split("|") if g]
        encoded[row, : len(names)] = [ids[g] for g in names]
    return encoded


def _encode_titles(titles: pd.Series, split) -> tuple[list[str], np.ndarray]:
    words = [split(title) for title in titles]
    vocab = [PAD, *sorted({word for title in words for word in title})]
    ids = {word: index for index, word in enumerate(vocab)}
    encoded = np.zeros((len(words), TITLE_LENGTH), dtype=np.int64)
    for row, title in enumerate(words):
        kept = title[:TITLE_LENGTH]
        encoded[row, : len(kept)] = [ids[w] for w in kept]
    return vocab, encoded


def _lookup(ids: np.ndarray, values: np.ndarray, what: str) -> np.ndarray:
    found = positions(ids, values)
    unknown = found < 0
    if unknown.any():
        shown = ", ".join(map(str, pd.unique(values[unknown])[:5]))
        raise DataError(
            f"{what} id(s) not in the dataset: {shown} ({int(unknown.sum())} rows); use ids "
            "from the same release the model was trained on"
        )
    return found


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    # No pandas index and a fixed writer setup keep the bytes the same from run to run.
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=False)


def _json(document: Any) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
