"""Trustworthy evaluation: rating and top-N metrics, the protocols that compute them, and the
baselines every model is compared with on the same split."""

from movierec.evaluation.artifact_model import ArtifactModel
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
from movierec.evaluation.model_eval import EvaluationSettings, evaluate_model
from movierec.evaluation.model_split import EvaluationSplit, file_split, id_coverage, model_split
from movierec.evaluation.protocol import (
    evaluate_baselines,
    evaluate_ranking,
    evaluate_ratings,
    recommend_top_k,
)
from movierec.evaluation.report import read_report_document, report_text, write_report

__all__ = [
    "EASE",
    "ArtifactModel",
    "Baseline",
    "BiasBaseline",
    "EvaluationSettings",
    "EvaluationSplit",
    "GlobalMean",
    "ItemKNN",
    "MFConfig",
    "MatrixFactorisation",
    "Popularity",
    "RatingBaseline",
    "default_baselines",
    "evaluate_baselines",
    "evaluate_model",
    "evaluate_ranking",
    "evaluate_ratings",
    "file_split",
    "id_coverage",
    "model_split",
    "per_user_ranking_metrics",
    "ranking_metrics",
    "rating_metrics",
    "read_report_document",
    "recommend_top_k",
    "report_text",
    "top_k_indices",
    "write_report",
]
