"""What a run is given besides its hyperparameters (how to split, where and how to run) and what
it gives back (its result, and the trained ranking head the export writes)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from movierec.model.config import NetworkConfig
from movierec.model.ensemble import RatingNetwork
from movierec.training.config import RankingConfig
from movierec.training.progress import to_stderr
from movierec.training.workers import Workers


@dataclass(frozen=True)
class SplitSpec:
    """How the ratings are split into training and test parts."""

    method: str = "random"
    """"random", "temporal", "leave-last-out", "user-holdout", or "files" (then `files` names
    them)."""
    test_fraction: float = 0.2
    """Share of ratings (random) or of each user's ratings (temporal) held out for test; of the
    users held out whole (user-holdout)."""
    seed: int = 0
    """Seed of the random and user-holdout splits."""
    files: tuple[str, str] | None = None
    """Train and test CSV paths of a split given as files."""


@dataclass(frozen=True)
class RunContext:
    """Where and how a run happens; nothing here changes what the model is."""

    out: Path
    """The run folder: checkpoint and logs while training, then the artifact."""
    seed: int = 0
    """Seeds initialisation, shuffling, dropout and the validation hold-out."""
    device: str = "auto"
    """"auto" (a GPU when there is one), "cpu" or "cuda"."""
    threads: int | None = None
    """CPU threads for torch; None: `default_threads()`."""
    progress: bool = True
    """Show progress: a bar per epoch on a terminal, and a line per epoch."""
    batch_callbacks: Sequence[Callable[[int, int], None]] = ()
    """Called after every batch with (epoch, batch); a test hook."""
    ranking_batch_callbacks: Sequence[Callable[[int, int], None]] = ()
    """The same, in the ranking head's epochs."""
    echo: Callable[[str], None] = to_stderr
    """Where per-epoch summary lines go."""
    workers: Workers | None = None
    """The run's workers when it trains on several (`movierec.training.workers`); None: this
    process alone, on `device`."""


@dataclass(frozen=True)
class RunResult:
    """A finished run: its artifact folder, final metrics and the rating head's epochs."""

    out: Path
    """The artifact folder."""
    metrics: dict[str, Any]
    """The artifact's metrics document."""
    history: list[dict[str, float]]
    """One record per rating epoch, as in its log."""


@dataclass(frozen=True)
class RankingPhase:
    """A trained ranking head and what the artifact records of it."""

    network: RatingNetwork
    """The head's towers, in eval mode after training."""
    network_config: NetworkConfig
    """The towers' settings (the rating towers', made linear and without biases)."""
    config: RankingConfig
    """The settings it was trained with."""
    rating_offset: float
    """The mean its rating histories are centred on (needed to rebuild it)."""
    metrics: dict[str, Any]
    """Its final figures and timings, for the artifact's metrics document."""
