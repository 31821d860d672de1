"""Trustworthy evaluation: rating and top-N metrics, the protocols that compute them, and the
baselines every model is compared with on the same split."""

from movierec.evaluation.baselines import (
    EASE,
    Baseline,
    BiasBaseline,
    GlobalMean,
    ItemKNN,
    MatrixFactorisation,
    MFConfig,
    Popularity,
    RatingBaseline,
    default_baselines,
)
from movierec.evaluation.metrics import (
    per_user_ranking_metrics,
    ranking_metrics,
    rating_metrics,
    top_k_indices,
)
from movierec.evaluation.protocol import (
    evaluate_baselines,
    evaluate_ranking,
    evaluate_ratings,
    recommend_top_k,
)

__all__ = [
    "EASE",
    "Baseline",
    "BiasBaseline",
    "GlobalMean",
    "ItemKNN",
    "MFConfig",
    "MatrixFactorisation",
    "Popularity",
    "RatingBaseline",
    "default_baselines",
    "evaluate_baselines",
    "evaluate_ranking",
    "evaluate_ratings",
    "per_user_ranking_metrics",
    "ranking_metrics",
    "rating_metrics",
    "recommend_top_k",
    "top_k_indices",
]
