"""Rebuilding a trained network (or its ranking head) from its artifact folder alone: the config
document, the safetensors weights, and the input tables stored beside them. No pickle anywhere,
and no prepared release needed."""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from safetensors.torch import load as safetensors_load

from movierec.artifacts import RANKING_WEIGHTS, WEIGHTS, Artifact, ArtifactError, read_artifact
from movierec.model.ensemble import RatingNetwork, build_network
from movierec.model.network import NetworkConfig
from movierec.model.tables import FeatureTables
from movierec.training.data import rating_histories


def load_network(model_dir: Path) -> RatingNetwork:
    """The rating network saved in the artifact at `model_dir`, in eval mode, on the CPU."""
    artifact = read_artifact(Path(model_dir))
    document = artifact.document("config")
    return _rebuild(artifact, document["network"], document["tables"]["rating_offset"],
                    Path(model_dir) / WEIGHTS)


def load_ranking_network(model_dir: Path) -> RatingNetwork:
    """The ranking head saved in the artifact at `model_dir`, in eval mode, on the CPU;
    ArtifactError when the artifact has none."""
    artifact = read_artifact(Path(model_dir))
    ranking = artifact.document("config").get("ranking")
    if ranking is None:
        raise ArtifactError(f"{model_dir}: this model has no ranking head")
    return _rebuild(artifact, ranking["network"], ranking["rating_offset"],
                    Path(model_dir) / RANKING_WEIGHTS)


def _rebuild(artifact: Artifact, settings: dict, rating_offset: float,
             weights: Path) -> RatingNetwork:
    config = NetworkConfig(**{**settings, "text_windows": tuple(settings["text_windows"])})
    network = build_network(config, _tables(artifact, config, rating_offset))
    try:
        network.load_state_dict(safetensors_load(weights.read_bytes()))
    except RuntimeError as error:
        raise ArtifactError(f"{weights}: the weights do not fit the network its config "
                            f"describes ({str(error).splitlines()[0]})") from None
    return network.eval()


def _tables(artifact: Artifact, config: NetworkConfig, rating_offset: float) -> FeatureTables:
    """The network's inputs as the artifact stores them."""
    sizes = artifact.document("config")["tables"]
    codes = {}
    if sizes["demographics"]:
        demographics = torch.tensor(artifact.array("user_demographics").astype(np.int64))
        codes = dict(zip(("user_gender", "user_age", "user_occupation"), demographics.T,
                         strict=True))
    histories = {}
    if config.history_dim:
        user_history, movie_history, _ = rating_histories(
            _seen_frame(artifact), sizes["users"], sizes["movies"], rating_offset)
        histories = {"user_history": user_history, "movie_history": movie_history,
                     "rating_offset": rating_offset}
    return FeatureTables(
        movie_genres=torch.tensor(artifact.array("movie_genres").astype(np.int64)),
        movie_titles=torch.tensor(artifact.array("movie_titles").astype(np.int64)),
        genre_vocabulary=sizes["genres"],
        word_vocabulary=sizes["title_words"],
        users=sizes["users"],
        **codes,
        **histories,
    )


def _seen_frame(artifact: Artifact) -> pd.DataFrame:
    """The artifact's training ratings (the histories its vectors were computed from)."""
    indptr = artifact.array("seen_indptr")
    return pd.DataFrame({
        "user_index": np.repeat(np.arange(len(indptr) - 1), np.diff(indptr)),
        "movie_index": artifact.array("seen_movies").astype(np.int64),
        "rating": artifact.array("seen_ratings"),
    })
