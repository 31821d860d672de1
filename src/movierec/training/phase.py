"""One phase of a run (the rating head's epochs, then the ranking head's): the epoch loop with
the phase's part of the checkpoint, its log and its curves, started afresh or from a checkpoint.
What tells the phases apart is a `Phase`; the glue around the loop is written once here."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from movierec.run_log import append_record, plot_curves, rewrite_log
from movierec.training.loop import EpochTrainer, LoopSettings, LoopState, run_epochs
from movierec.training.trainer import ShuffledTrainer


@dataclass(frozen=True)
class Phase:
    """What tells a run's phases apart."""

    name: str
    """Its name in the checkpoint ("rating", "ranking"): the phase a resume picks up in."""
    loop: LoopSettings
    """How its epochs run and show: how many, patience, progress, batch hooks, its name."""
    state_keys: tuple[str, str]
    """Where its trainer's state and its loop's state lie in the checkpoint."""
    log: str
    """Its per-epoch log: a JSON-lines file name in the run folder."""
    curves: str
    """Its curves: a PNG file name in the run folder."""
    panels: Sequence[tuple[str, str]]
    """The curves' (metric, caption) panels."""
    title: str
    """The curves' title."""

    def checkpoint_part(self, trainer: EpochTrainer, state: LoopState) -> dict[str, Any]:
        """This phase's part of a checkpoint: which phase, its trainer and its loop."""
        trainer_key, loop_key = self.state_keys
        return {"phase": self.name, trainer_key: trainer.state_dict(), loop_key: state.to_dict()}


def head_name(head: str, members: int) -> str:
    """How progress names a phase: "rating head, 3 members", "ranking head"."""
    return head if members == 1 else f"{head}, {members} members"


def run_phase(trainer: EpochTrainer, phase: Phase, out: Path, *,
              resume_from: dict[str, Any] | None,
              save: Callable[[dict[str, Any]], None], writes: bool = True) -> LoopState:
    """Run `phase`'s epochs in the run folder `out`.

    It continues from `resume_from` when that checkpoint holds this phase's state (else starts
    afresh), calls `save(part)` with its `checkpoint_part` after every epoch and on Ctrl-C
    (then TrainingInterrupted), logs every epoch's record, and draws its curves even when
    stopped. A worker that does not write the run folder (`writes` False) still calls `save`,
    whose part gathers every worker's state, but keeps no log and draws no curves.
    """
    log = out / phase.log
    trainer_key, loop_key = phase.state_keys
    state = LoopState()
    if resume_from is not None and loop_key in resume_from:
        trainer.load_state_dict(resume_from[trainer_key])
        state = LoopState.from_dict(resume_from[loop_key])
        if writes:
            rewrite_log(log, state.history)
    elif writes:
        log.unlink(missing_ok=True)

    def on_epoch(current: LoopState, record: dict[str, float]) -> None:
        if writes:
            append_record(log, record)

    try:
        state = run_epochs(trainer, state, phase.loop,
                           save=lambda current: save(phase.checkpoint_part(trainer, current)),
                           on_epoch=on_epoch)
    finally:
        if state.history and writes:
            plot_curves(out / phase.curves, state.history, phase.title, phase.panels)
    return state


def phase_timings(state: LoopState, rows: int) -> dict[str, float]:
    """The figures every phase reports of its epochs: how many ran, and their time (`rows`:
    the ratings each epoch trained on)."""
    return {"epochs_run": state.epoch, **state.timings(rows)}


def worker_figures(trainer: ShuffledTrainer) -> dict[str, Any]:
    """How many workers a phase trained on and what summing their gradients cost per step
    (nothing for a run of one)."""
    workers = trainer.workers
    if not workers.joined:
        return {}
    return {"workers": {"count": workers.count, "backend": workers.backend,
                        **trainer.sync.figures.per_step()}}
