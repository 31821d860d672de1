"""The epoch loop, written once for every trainer: progress, per-epoch metrics, early stopping,
a checkpoint after each epoch, and a clean stop on Ctrl-C that can be resumed exactly."""

import math
import signal
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from torch import Tensor

from movierec.errors import MovieRecError
from movierec.training.progress import (
    EpochBar,
    heading,
    phase_seconds_left,
    time_left,
    to_stderr,
)


class EpochTrainer(Protocol):
    """What the loop needs from a trainer."""

    batches_per_epoch: int
    learning_rate: float

    def train_epoch(self, on_batch: Callable[[int, Tensor], None] | None = None
                    ) -> dict[str, float]: ...
    def evaluate(self) -> dict[str, float]: ...
    def weights(self) -> dict[str, Tensor]: ...
    def load_weights(self, weights: dict[str, Tensor]) -> None: ...
    def finalize(self) -> None: ...
    def state_dict(self) -> dict[str, Any]: ...
    def load_state_dict(self, state: dict[str, Any]) -> None: ...


@dataclass
class LoopState:
    """Where the loop stands; saved in every checkpoint."""

    epoch: int = 0
    """Epochs completed."""
    history: list[dict[str, float]] = field(default_factory=list)
    """One record per completed epoch: train_*, validation_*, test_* metrics, lr, seconds."""
    best_rmse: float = math.inf
    best_epoch: int = 0
    best_weights: dict[str, Tensor] | None = None
    stale_epochs: int = 0
    """Epochs since the validation RMSE last improved."""
    stopped_early: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "best_weights": self.best_weights or {}}

    def timings(self, rows: int) -> dict[str, float]:
        """The epochs' time: total, median per epoch, and `rows` trained per second."""
        seconds = [record["seconds"] for record in self.history]
        median = statistics.median(seconds)
        return {"seconds_total": sum(seconds), "seconds_per_epoch_median": median,
                "samples_per_second": rows / median}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "LoopState":
        return cls(**{**values, "best_weights": values["best_weights"] or None})


def _seconds(record: dict[str, float]) -> str:
    return f"{record['seconds']:.1f}s"


@dataclass(frozen=True)
class LoopSettings:
    """How the loop runs its epochs and shows them."""

    epochs: int
    """The most epochs to run (fewer when early stopping ends the loop)."""
    patience: int = 0
    """0: never stop early."""
    progress: bool = True
    """Show a bar per epoch (on a terminal) and `echo` a line per finished epoch."""
    batch_callbacks: Sequence[Callable[[int, int], None]] = ()
    """Called after every batch with (epoch, batches done); raising KeyboardInterrupt there acts
    like Ctrl-C (tests use it)."""
    label: str = "epoch"
    """What a stop message calls an epoch ("ranking epoch" in a run's second phase)."""
    phase: str = "training"
    """What is being trained, as progress names it ("rating head, 3 members")."""
    summary: Callable[[dict[str, float]], str] = _seconds
    """An epoch's record in a few words, for its line."""
    echo: Callable[[str], None] = to_stderr
    """Where the epochs' lines go."""
    agree_to_stop: Callable[[bool], bool] | None = None
    """With several workers, given whether this one was asked to stop, whether the workers
    agree to stop now (`GradientSync.agree`: every worker gets the same answer at the same
    batch), so that all stop after the same batch and save one consistent checkpoint; None:
    this process trains alone."""

    @property
    def may_stop_early(self) -> bool:
        """Whether early stopping may end the loop before `epochs`."""
        return self.patience > 0


class TrainingInterrupted(Exception):
    """Training stopped on Ctrl-C after saving a checkpoint; the message says how to resume."""


class TrainingDiverged(MovieRecError):
    """An epoch's training loss was not a finite number: the weights are lost to inf or NaN,
    so the loop stops before saving them and no model is written."""


@dataclass
class _StopFlag:
    requested: bool = False
    forced: bool = False


def run_epochs(
    trainer: EpochTrainer,
    state: LoopState,
    settings: LoopSettings,
    *,
    save: Callable[[LoopState], None],
    on_epoch: Callable[[LoopState, dict[str, float]], None],
) -> LoopState:
    """Train until `settings.epochs` or early stopping; `save(state)` after each epoch and on
    Ctrl-C (then TrainingInterrupted); `on_epoch(state, record)` logs each epoch's record.

    With a validation part, the best epoch (by validation RMSE) is tracked, training stops
    after `patience` epochs without improvement, and the best epoch's weights are put back at
    the end. Without a validation part the last epoch's weights stay.
    """
    stop = _StopFlag()
    with _graceful_interrupt(stop, escalate=settings.agree_to_stop is None):
        try:
            while state.epoch < settings.epochs and not state.stopped_early:
                if _stopping(stop, settings):
                    raise KeyboardInterrupt
                record = _one_epoch(trainer, state, settings, stop)
                _track_best(trainer, state, settings, record)
                save(state)
                on_epoch(state, record)
                if settings.progress:
                    settings.echo(_epoch_line(state, settings, record))
        except KeyboardInterrupt:
            if not stop.forced:
                # Interrupts land between batches (see _graceful_interrupt), so the trainer's
                # state is consistent and a resume continues from this very batch.
                save(state)
            raise TrainingInterrupted(
                _interrupted_message(trainer, state, stop, settings.label)) from None
    if state.best_weights is not None:
        trainer.load_weights(state.best_weights)
    trainer.finalize()
    return state


def _one_epoch(trainer: EpochTrainer, state: LoopState, settings: LoopSettings,
               stop: _StopFlag) -> dict[str, float]:
    epoch = state.epoch + 1
    learning_rate = trainer.learning_rate
    bar = EpochBar(
        heading(settings.phase, epoch, settings.epochs, may_stop_early=settings.may_stop_early),
        trainer.batches_per_epoch, finished=[record["seconds"] for record in state.history],
        epochs_after=settings.epochs - epoch, may_stop_early=settings.may_stop_early,
        enabled=settings.progress)

    def on_batch(done: int, loss: Tensor) -> None:
        bar.update(done, loss)
        for callback in settings.batch_callbacks:
            callback(epoch, done)
        if _stopping(stop, settings):
            raise KeyboardInterrupt

    started = time.perf_counter()
    try:
        train = trainer.train_epoch(on_batch)
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    _check_finite(train, settings, epoch, learning_rate)
    evaluated = trainer.evaluate()
    record = {
        "epoch": epoch,
        **{f"train_{name}": value for name, value in train.items()},
        **evaluated,
        "lr": learning_rate,
        "seconds": seconds,
    }
    state.epoch = epoch
    state.history.append(record)
    return record


def _stopping(stop: _StopFlag, settings: LoopSettings) -> bool:
    """Whether to stop now: Ctrl-C was pressed here (alone) or on any worker."""
    if settings.agree_to_stop is None:
        return stop.requested
    return settings.agree_to_stop(stop.requested)


def _check_finite(train: dict[str, float], settings: LoopSettings, epoch: int,
                  learning_rate: float) -> None:
    """TrainingDiverged when a figure of the epoch's running sums is inf or NaN: the sums are
    read once per epoch anyway, so the check costs no step anything."""
    broken = {name: value for name, value in train.items() if not math.isfinite(value)}
    if broken:
        name, value = next(iter(broken.items()))
        raise TrainingDiverged(
            f"{settings.phase}: the training {name} of {settings.label} {epoch} is {value}, "
            f"not a finite number; training stopped and no model was written. Lower the "
            f"learning rate (it was {learning_rate:g}) or check the ratings, then train again "
            "in a new folder"
        )


def _epoch_line(state: LoopState, settings: LoopSettings, record: dict[str, float]) -> str:
    """The finished epoch's line: phase, epoch k of N, its summary, and what is left."""
    parts = [heading(settings.phase, state.epoch, settings.epochs,
                     may_stop_early=settings.may_stop_early), settings.summary(record)]
    if state.stopped_early:
        parts.append(f"stopping early: no better validation RMSE in {state.stale_epochs} "
                     f"epochs; epoch {state.best_epoch}'s weights are kept")
    elif state.epoch < settings.epochs:
        seconds = [past["seconds"] for past in state.history]
        parts.append(time_left(phase_seconds_left(seconds, settings.epochs - state.epoch),
                               may_stop_early=settings.may_stop_early))
    return " | ".join(parts)


def _track_best(trainer: EpochTrainer, state: LoopState, settings: LoopSettings,
                record: dict[str, float]) -> None:
    score = record.get("validation_rmse")
    if score is None:
        return
    if score < state.best_rmse:
        state.best_rmse, state.best_epoch, state.stale_epochs = score, state.epoch, 0
        state.best_weights = trainer.weights()
    else:
        state.stale_epochs += 1
        if settings.patience and state.stale_epochs >= settings.patience:
            state.stopped_early = True


def _interrupted_message(trainer: EpochTrainer, state: LoopState, stop: _StopFlag,
                         label: str) -> str:
    if stop.forced:
        return (f"stopped at once (Ctrl-C twice); the checkpoint of {label} {state.epoch} is "
                "kept")
    position = getattr(trainer, "position", 0)
    where = (f"during {label} {state.epoch + 1} after batch {position}" if position
             else f"after {label} {state.epoch}")
    return f"stopped {where}; the checkpoint is saved"


@contextmanager
def _graceful_interrupt(stop: _StopFlag, *, escalate: bool = True) -> Iterator[None]:
    """The first Ctrl-C asks the loop to stop after the current batch; a second one stops at
    once (without saving a half-updated state). Outside the main thread, nothing changes.

    Without `escalate` (a worker among several) every Ctrl-C only asks: a worker stopping on
    its own would leave the others waiting for it, and the launcher, which sent the signal,
    kills workers that do not stop in time."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if stop.requested and escalate:
            stop.forced = True
            raise KeyboardInterrupt
        stop.requested = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
