"""A trained network -> a model artifact that serves with numpy alone (see `movierec.artifacts`).

Everything is computed here, in eval mode: the user and movie vectors, biases, the demographic
vectors for new users, the training ratings as CSR ("seen"), the held-out test triples, the
other ids of films the release listed twice (`movie_aliases`), the network's own inputs (genre
and title word ids, so that the folder alone rebuilds it), when the run trained them, the
ranking head's vectors and weights and the new-user head, and, on a user-holdout split, the
held-out users' ratings (`new_user_ratings`) that `movierec evaluate` plays as new users.
"""

import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import torch
from safetensors.torch import save as safetensors_bytes

from movierec.artifacts import RANKING_WEIGHTS, WEIGHTS, write_artifact
from movierec.model.ensemble import RatingNetwork
from movierec.training.config import Preset, preset_settings
from movierec.training.context import RankingPhase
from movierec.training.data import TrainingData
from movierec.training.new_user_trainer import NewUserPhase
from movierec.training.vectors import demographic_vectors, new_user_tower, tower_vectors

if TYPE_CHECKING:
    from movierec.data.features import Features


def export_artifact(
    destination: Path,
    *,
    network: RatingNetwork,
    preset: Preset,
    given: Preset,
    features: "Features",
    data: TrainingData,
    split_document: dict[str, Any],
    metrics: dict[str, Any],
    files: dict[str, bytes],
    ranking: RankingPhase | None = None,
    new_users: NewUserPhase | None = None,
    new_user_ratings: pd.DataFrame | None = None,
) -> Path:
    """Write the artifact at `destination` (atomically, replacing what is there). `preset` is
    what trained (sized for the data), `given` what was asked for: the manifest keeps the
    latter, so that a retrain on more data sizes it afresh."""
    users, movies = (vectors.cpu().numpy().astype(np.float32)
                     for vectors in tower_vectors(network))
    arrays: dict[str, np.ndarray] = {
        "user_ids": np.asarray(features.user_ids, dtype=np.int64),
        "movie_ids": np.asarray(features.movie_ids, dtype=np.int64),
        "movie_aliases": np.asarray(features.movie_aliases, dtype=np.int64).reshape(-1, 2),
        "user_vectors": users,
        "movie_vectors": movies,
        **_biases(network),
        **_seen(data.fitted, len(users)),
        # What the network reads besides its weights, so that the folder alone rebuilds it.
        "movie_genres": data.tables.movie_genres.cpu().numpy().astype(np.int32),
        "movie_titles": data.tables.movie_titles.cpu().numpy().astype(np.int32),
        "test_triples": data.test_frame[["user_index", "movie_index", "rating"]]
        .to_numpy(np.float64).reshape(-1, 3),
    }
    if network.demographics:
        arrays["demographic_vectors"] = demographic_vectors(network).cpu().numpy().astype(
            np.float32)
        arrays["user_demographics"] = np.stack(
            [features.user_gender, features.user_age, features.user_occupation], axis=1
        ).astype(np.int16)
    global_bias = float(network.rating_biases()[2].detach())
    documents = {
        "config": {
            "preset": preset.name,
            "network": asdict(network.config),
            "training": asdict(preset.training),
            "tables": {
                "users": len(users),
                "movies": len(movies),
                "genres": data.tables.genre_vocabulary,
                "title_words": data.tables.word_vocabulary,
                "demographics": network.demographics,
                "rating_offset": data.tables.rating_offset,
            },
        },
        "scoring": {"global_bias": global_bias, "rating_scale": list(data.rating_scale)},
        "vocab": features.vocab,
        "movies": movie_records(features.movies, features.movie_unlisted),
        "split": split_document,
        "metrics": metrics,
    }
    if ranking is not None:
        ranking_users, ranking_movies = (vectors.cpu().numpy().astype(np.float32)
                                         for vectors in tower_vectors(ranking.network))
        arrays["ranking_user_vectors"] = ranking_users
        arrays["ranking_movie_vectors"] = ranking_movies
        # A brand-new user gets the ranking tower itself, not an approximation of it.
        arrays |= {f"ranking_new_user_{name}": value.cpu().numpy().astype(np.float32)
                   for name, value in new_user_tower(ranking.network).items()}
        documents["scoring"]["ranking_rating_offset"] = ranking.rating_offset
        documents["config"]["ranking"] = {
            "settings": asdict(ranking.config),
            "network": asdict(ranking.network_config),
            "rating_offset": ranking.rating_offset,
        }
        files = {**files, RANKING_WEIGHTS: safetensors_bytes(_weights(ranking.network))}
    if new_users is not None:
        head_arrays, documents["scoring"]["new_users"] = new_user_head(new_users)
        arrays |= head_arrays
    if new_user_ratings is not None:
        arrays["new_user_ratings"] = new_user_ratings[
            ["user_index", "movie_index", "rating", "timestamp"]].to_numpy(np.float64)
    provenance = {
        "dataset": features.name,
        "data_checksum": features.data_checksum,
        "preset": preset.name,
        "preset_settings": preset_settings(given),
        "trained_with": f"torch {torch.__version__}",
    }
    if "site_ratings" in features.manifest:
        # What a retrain trained on of the site's ratings: the next one counts what is newer.
        provenance["site_ratings"] = features.manifest["site_ratings"]
    return write_artifact(
        destination,
        arrays=arrays,
        documents=documents,
        files={WEIGHTS: safetensors_bytes(_weights(network)), **files},
        provenance=provenance,
    )


def movie_records(movies: pd.DataFrame, unlisted: np.ndarray) -> list[dict[str, Any]]:
    """The movies document: one plain-JSON record per movie, in movie index order.

    `unlisted` (M,) bool marks the movies no list may show: their records say `listed: false`.
    """

    def plain(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.item() if isinstance(value, np.generic) else value

    records = []
    for row, hidden in zip(movies.itertuples(index=False), np.asarray(unlisted).tolist(),
                           strict=True):
        genres = plain(row.genres)
        records.append({
            "movie_id": int(row.movie_id),
            "title": plain(row.title),
            "year": plain(row.year),
            "genres": [g for g in (genres or "").split("|") if g],
            "imdb_id": plain(row.imdb_id),
            "tmdb_id": plain(row.tmdb_id),
            "listed": not hidden,
        })
    return records


def new_user_head(phase: NewUserPhase) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The head's arrays and settings, rescaled to act on the movie vectors as exported.

    It was fitted on vectors divided by `phase.scale`: a user vector built from them is
    d + W @ sum(v / s) / (k + shrink) and meets movies as (v / s) . u, so the demographic
    vectors d are divided by s once and the matrices by s twice."""
    head, scale = phase.head, phase.scale

    def plain(tensor: torch.Tensor, power: int) -> np.ndarray:
        return (tensor.detach().cpu().double() / scale ** power).numpy().astype(np.float32)

    arrays = {
        "new_user_implicit": plain(head.implicit.weight, 2),
        "new_user_explicit": plain(head.explicit.weight, 2),
        "new_user_prior": np.asarray(phase.prior, dtype=np.float32),
        **{f"new_user_{name}": plain(table.weight, 1)
           for name, table in head.demographics.items()},
    }
    settings = {"shrink": head.shrink.detach().item(), "rating_offset": phase.rating_offset}
    return arrays, settings


def _weights(network: RatingNetwork) -> dict[str, torch.Tensor]:
    return {name: value.detach().cpu().contiguous()
            for name, value in network.state_dict().items()}


def _biases(network: RatingNetwork) -> dict[str, np.ndarray]:
    user_bias, movie_bias, _ = network.rating_biases()
    return {"user_bias": user_bias.detach().cpu().numpy().astype(np.float32),
            "movie_bias": movie_bias.detach().cpu().numpy().astype(np.float32)}


def _seen(fitted: pd.DataFrame, users: int) -> dict[str, np.ndarray]:
    """The training ratings (validation included) as CSR rows by user, movies sorted."""
    user_index = fitted["user_index"].to_numpy(np.int64)
    movie_index = fitted["movie_index"].to_numpy(np.int64)
    order = np.lexsort((movie_index, user_index))
    counts = np.bincount(user_index, minlength=users)
    return {
        "seen_indptr": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "seen_movies": movie_index[order].astype(np.int32),
        "seen_ratings": fitted["rating"].to_numpy(np.float32)[order],
    }
