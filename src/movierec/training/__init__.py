"""Training: presets, the epoch loop, checkpoints, logs and the export to a model artifact.

Everything here needs torch; import it only where training happens.
"""

from movierec.training.config import PRESETS, Preset, TrainingConfig, get_preset, with_overrides
from movierec.training.context import RunContext, RunResult, SplitSpec
from movierec.training.loop import LoopSettings, LoopState, TrainingInterrupted, run_epochs
from movierec.training.restore import load_network
from movierec.training.run import resume_run, start_run
from movierec.training.trainer import RatingTrainer

__all__ = [
    "PRESETS",
    "LoopSettings",
    "LoopState",
    "Preset",
    "RatingTrainer",
    "RunContext",
    "RunResult",
    "SplitSpec",
    "TrainingConfig",
    "TrainingInterrupted",
    "get_preset",
    "load_network",
    "resume_run",
    "run_epochs",
    "start_run",
    "with_overrides",
]
