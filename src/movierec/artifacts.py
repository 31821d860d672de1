"""Model artifacts: self-describing folders that load without pickle and without torch.

An artifact is a folder of named `.npy` arrays, named JSON documents and opaque files (the
safetensors weights, plots), plus `manifest.json`, which records the format version, what made
it and the sha256 of every other file. It is written under a temporary name and renamed into
place only when complete, so a reader never sees half an artifact; a reader refuses a folder
whose files are missing, truncated or changed.

The names the engine relies on are listed in `ARRAYS` and `DOCUMENTS`; training writes them.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np

from movierec import __version__
from movierec.atomic import atomic_folder, sha256_file
from movierec.errors import MovieRecError

FORMAT = "movierec-model"
FORMAT_VERSION = 2
"""2: the network's own input tables (genres, title words) are stored; tower weights are
named by tower (`user.embedding.weight`)."""
MANIFEST = "manifest.json"
WEIGHTS = "weights.safetensors"
"""The rating head's weights (safetensors), an opaque file of the artifact."""
RANKING_WEIGHTS = "ranking-weights.safetensors"
"""The ranking head's weights, in models that have one."""

ARRAYS = {
    "user_ids": "(U,) int64: the dataset's user ids; a user's index is its position",
    "movie_ids": "(M,) int64: the dataset's movie ids, likewise",
    "movie_aliases": "(A, 2) int64, optional (older artifacts lack it): alias id, canonical id "
    "of each other id of a film the release listed twice; an alias is not in movie_ids and "
    "resolves to its canonical movie",
    "user_vectors": "(U, D) float32: the user tower's output for every user",
    "movie_vectors": "(M, D) float32: the movie tower's output for every movie",
    "user_bias": "(U,) float32: per-user rating offset (zeros where the preset has none)",
    "movie_bias": "(M,) float32: per-movie rating offset (zeros where the preset has none)",
    "demographic_vectors": "(2, 7, 21, D) float32, demographic releases only: the user tower "
    "for each (gender, age index, occupation) with the id part set to the mean user embedding",
    "user_demographics": "(U, 3) int16, demographic releases only: gender, age index, "
    "occupation of every user",
    "seen_indptr": "(U + 1,) int64: CSR row pointers of the training ratings by user index",
    "seen_movies": "(R,) int32: movie index of each training rating, grouped by user",
    "seen_ratings": "(R,) float32: the training rating itself",
    "movie_genres": "(M, G) int32: every movie's genre ids (0 = <PAD>), as the network reads them",
    "movie_titles": "(M, L) int32: every movie's title word ids (0 = <PAD>) in the tokenisation "
    "of config.network.title_tokens",
    "test_triples": "(T, 3) float64: user index, movie index, rating of the held-out test part",
    "ranking_user_vectors": "(U, E) float32, models with a ranking head only: the ranking "
    "towers' user vectors; lists rank by their dot product with ranking_movie_vectors",
    "ranking_movie_vectors": "(M, E) float32, models with a ranking head only: likewise",
    "ranking_new_user_base": "(2, 7, 21, E) or (E,) float32, ranking head only: its user tower "
    "with the mean id embedding and no history, by demographics where the release has them",
    "ranking_new_user_history_implicit": "(K, M, H) float32, ranking head with histories only: "
    "each member's implicit history embedding of every movie",
    "ranking_new_user_history_explicit": "(K, M, H) float32, likewise, the embedding scaled by "
    "the rating minus scoring's ranking_rating_offset",
    "ranking_new_user_history_weights": "(K, E / K, H) float32, likewise: the output layer's "
    "columns that act on the history mean; a new user's ranking vector is base + the members' "
    "history terms concatenated, times 1/sqrt(K)",
    "new_user_implicit": "(D, D) float32, models with a new-user head only: acts on the sum of "
    "a new user's rated movie_vectors; the user vector is (implicit @ sum v + explicit @ "
    "sum (stars - offset) v) / (k + shrink) + the demographic rows given, and a movie scores "
    "v . u + new_user_prior",
    "new_user_explicit": "(D, D) float32, likewise, on the sum weighted by the centred stars",
    "new_user_prior": "(M,) float32, likewise: log(1 + the movie's liked training ratings)",
    "new_user_gender": "(2, D) float32, new-user head on a demographic release: added for a "
    "known gender; new_user_age (7, D) and new_user_occupation (21, D) likewise",
    "new_user_age": "(7, D) float32: see new_user_gender",
    "new_user_occupation": "(21, D) float32: see new_user_gender",
    "new_user_ratings": "(N, 4) float64, user-holdout splits only: user index, movie index, "
    "rating, timestamp of every rating of the users held out whole, in (user, time) order",
}
DOCUMENTS = {
    "config": "the model's hyperparameters, table sizes and preset name",
    "scoring": "{global_bias, rating_scale: [low, high, step]}: rating = u.m + b_u + b_m + g; "
    "with a ranking head also ranking_rating_offset; with a new-user head also new_users: "
    "{shrink, rating_offset}",
    "vocab": "{genres, title_seed, title_words}: the id -> token lists, '<PAD>' at 0",
    "movies": "[{movie_id, title, year, genres: [..], imdb_id, tmdb_id, listed}] in movie index "
    "order; listed is false for a movie no list may show (a placeholder title such as "
    "'unknown'), and absent in older artifacts",
    "split": "how the data was split: protocol name and parameters, row counts",
    "metrics": "final train/validation/test metrics and timings",
}


class ArtifactError(MovieRecError):
    """An artifact folder is missing, incomplete, tampered with or of an unknown format."""


@dataclass(frozen=True)
class Artifact:
    """A verified artifact folder: its manifest, JSON documents and arrays."""

    path: Path
    manifest: dict[str, Any]
    documents: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(repr=False)

    def array(self, name: str) -> np.ndarray:
        """The array called `name`; ArtifactError naming it when the artifact lacks it."""
        try:
            return self.arrays[name]
        except KeyError:
            raise ArtifactError(f"{self.path}: the artifact has no array {name!r}") from None

    def document(self, name: str) -> Any:
        """The JSON document called `name`; ArtifactError when the artifact lacks it."""
        try:
            return self.documents[name]
        except KeyError:
            raise ArtifactError(f"{self.path}: the artifact has no document {name!r}") from None


def write_artifact(
    destination: Path,
    *,
    arrays: dict[str, np.ndarray],
    documents: dict[str, Any],
    files: dict[str, bytes] | None = None,
    provenance: dict[str, Any] | None = None,
) -> Path:
    """Write an artifact folder at `destination` atomically and return its path.

    `files` are opaque extras (weights, plots) stored under their given names. `provenance`
    (dataset, data checksum, preset...) is copied into the manifest. An existing destination is
    replaced only once the new folder is complete.
    """
    with atomic_folder(Path(destination)) as staging:
        for name, values in arrays.items():
            np.save(staging / f"{name}.npy", np.ascontiguousarray(values), allow_pickle=False)
        for name, document in documents.items():
            (staging / f"{name}.json").write_text(json.dumps(document, indent=1) + "\n")
        for name, content in (files or {}).items():
            (staging / name).write_bytes(content)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "code_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            **(provenance or {}),
            "files": {
                item.name: sha256_file(item)
                for item in sorted(staging.iterdir())
                if item.is_file()
            },
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    return Path(destination)


def read_artifact(path: Path, *, verify: bool = True) -> Artifact:
    """Load and verify the artifact at `path`; ArtifactError with the reason when it is unusable.

    Arrays load with `allow_pickle=False`; nothing in the folder can run code.
    """
    path = Path(path)
    manifest = _read_manifest(path)
    recorded: dict[str, str] = manifest["files"]
    if verify:
        _verify_files(path, recorded)
    arrays: dict[str, np.ndarray] = {}
    documents: dict[str, Any] = {}
    for name in recorded:
        item = path / name
        if name.endswith(".npy"):
            try:
                arrays[name[:-4]] = np.load(item, allow_pickle=False)
            except ValueError as error:
                raise ArtifactError(f"{item}: not a plain numpy array ({error})") from None
        elif name.endswith(".json"):
            documents[name[:-5]] = json.loads(item.read_text())
    return Artifact(path=path, manifest=manifest, documents=documents, arrays=arrays)


def _read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = path / MANIFEST
    if not path.is_dir():
        raise ArtifactError(f"{path}: no such model folder; train one with `movierec train`")
    if not manifest_path.is_file():
        raise ArtifactError(
            f"{path}: no {MANIFEST}; this is not a movierec model, or it was not written completely"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(f"{manifest_path}: unreadable manifest ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArtifactError(f"{manifest_path}: not a {FORMAT} manifest")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArtifactError(
            f"{path}: artifact format version {version}, this movierec reads {FORMAT_VERSION}; "
            "retrain the model with this version"
        )
    if not isinstance(manifest.get("files"), dict):
        raise ArtifactError(f"{manifest_path}: the manifest lists no files")
    for name in manifest["files"]:
        _check_entry(path, name)
    return manifest


def _check_entry(path: Path, name: object) -> None:
    """A manifest entry names a file inside the model folder: no absolute path, no "..", and no
    symlink leading out of it, so a crafted manifest cannot make the loader read elsewhere."""
    parts = PurePosixPath(str(name).replace("\\", "/")).parts
    inside = (path / str(name)).resolve().is_relative_to(path.resolve())
    if (
        not isinstance(name, str)
        or not name
        or PureWindowsPath(name).is_absolute()
        or name.startswith(("/", "\\"))
        or ".." in parts
        or not inside
    ):
        raise ArtifactError(
            f"{path / MANIFEST}: the entry {name!r} is not a file inside the model folder; "
            "retrain the model or restore its folder"
        )


def _verify_files(path: Path, recorded: dict[str, str]) -> None:
    for name, expected in recorded.items():
        item = path / name
        if not item.is_file():
            raise ArtifactError(f"{path}: {name} is missing; the artifact is incomplete")
        if sha256_file(item) != expected:
            raise ArtifactError(
                f"{item}: checksum does not match the manifest; the file was truncated or "
                "changed. Retrain or restore the model folder"
            )
