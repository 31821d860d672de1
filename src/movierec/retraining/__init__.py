"""Retraining on the site's own ratings: the split, the training run, the quality gate, the
report, and the lock that keeps two retrains from running at once.

`movierec retrain` and `manage.py retrain` drive it; both publish the candidate only when the
gate passes it (or when told to with --force). It uses both training and the engine, so it
sits where the CLI does, above both; nothing below imports it. Importing it imports torch.
"""

from movierec.retraining.cycle import Cycle, Outcome, run_cycle
from movierec.retraining.gate import (
    TOLERANCE,
    HeldOut,
    Verdict,
    gated_figures,
    judge,
    score_model,
)
from movierec.retraining.lock import RetrainBusy, retrain_lock
from movierec.retraining.report import REPORT_JSON, REPORT_MARKDOWN, gate_table
from movierec.retraining.retrain import (
    RetrainResult,
    default_run_folder,
    published_record,
    read_site_ratings,
    retrain,
)
from movierec.retraining.site_ratings import (
    HELD_OUT_FRACTION,
    SiteRatings,
    new_rating_count,
    retrain_split,
    site_ratings_of,
)

__all__ = [
    "HELD_OUT_FRACTION",
    "REPORT_JSON",
    "REPORT_MARKDOWN",
    "TOLERANCE",
    "Cycle",
    "HeldOut",
    "Outcome",
    "RetrainBusy",
    "RetrainResult",
    "SiteRatings",
    "Verdict",
    "default_run_folder",
    "gate_table",
    "gated_figures",
    "judge",
    "new_rating_count",
    "published_record",
    "read_site_ratings",
    "retrain",
    "retrain_lock",
    "retrain_split",
    "run_cycle",
    "score_model",
    "site_ratings_of",
]
