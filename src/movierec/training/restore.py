"""Rebuilding a trained network (or its ranking head) from its artifact: config document +
safetensors weights, plus the prepared features its buffers come from. No pickle anywhere."""

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from safetensors.torch import load as safetensors_load

from movierec.artifacts import Artifact, ArtifactError, read_artifact
from movierec.model.ensemble import RatingNetwork, build_network
from movierec.model.network import NetworkConfig
from movierec.training.data import feature_tables, rating_histories
from movierec.training.export import RANKING_WEIGHTS, WEIGHTS

if TYPE_CHECKING:
    from movierec.data.features import Features


def load_network(model_dir: Path, features: "Features") -> RatingNetwork:
    """The network saved in the artifact at `model_dir`, in eval mode, on the CPU.

    `features` must be the prepared release it was trained on (checked by its checksum).
    """
    artifact = _checked(model_dir, features)
    document = artifact.document("config")
    return _rebuild(artifact, features, document["network"], document["tables"]["rating_offset"],
                    Path(model_dir) / WEIGHTS)


def load_ranking_network(model_dir: Path, features: "Features") -> RatingNetwork:
    """The ranking head saved in the artifact at `model_dir`, in eval mode, on the CPU;
    ArtifactError when the artifact has none."""
    artifact = _checked(model_dir, features)
    ranking = artifact.document("config").get("ranking")
    if ranking is None:
        raise ArtifactError(f"{model_dir}: this model has no ranking head")
    return _rebuild(artifact, features, ranking["network"], ranking["rating_offset"],
                    Path(model_dir) / RANKING_WEIGHTS)


def _checked(model_dir: Path, features: "Features") -> Artifact:
    artifact = read_artifact(Path(model_dir))
    if artifact.manifest.get("data_checksum") != features.data_checksum:
        raise ArtifactError(
            f"{model_dir}: trained on other data than {features.name!r} as prepared here"
        )
    return artifact


def _rebuild(artifact: Artifact, features: "Features", settings: dict, rating_offset: float,
             weights: Path) -> RatingNetwork:
    config = NetworkConfig(**{**settings, "text_windows": tuple(settings["text_windows"])})
    histories = None
    if config.history_dim:
        histories = rating_histories(_seen_frame(artifact), len(features.user_ids),
                                     len(features.movie_ids), rating_offset)
    network = build_network(config, feature_tables(features, config.title_tokens, histories))
    network.load_state_dict(safetensors_load(weights.read_bytes()))
    return network.eval()


def _seen_frame(artifact: Artifact) -> pd.DataFrame:
    """The artifact's training ratings (the histories its vectors were computed from)."""
    indptr = artifact.array("seen_indptr")
    return pd.DataFrame({
        "user_index": np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)),
        "movie_index": artifact.array("seen_movies").astype(np.int64),
        "rating": artifact.array("seen_ratings"),
    })
