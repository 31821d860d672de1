"""A run's second phase: the ranking head, trained after the rating head on the whole training
part (there is no early stopping to hold ratings back for), with its own log, curves and
checkpoint state."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from movierec.model.ensemble import RatingNetwork, build_network
from movierec.model.network import NetworkConfig
from movierec.training.config import Preset, RankingConfig
from movierec.training.curves import (
    RANKING_CURVES,
    RANKING_LOG,
    RANKING_PANELS,
    append_record,
    plot_curves,
    rewrite_log,
)
from movierec.training.data import (
    RatingTensors,
    TrainingData,
    feature_tables,
    rating_histories,
    tables_to,
)
from movierec.training.loop import LoopSettings, LoopState, run_epochs
from movierec.training.ranking_trainer import RankingTrainer

if TYPE_CHECKING:
    from movierec.data.features import Features
    from movierec.training.run import RunContext

SEED_OFFSET = 1
"""The ranking head starts from torch seed (run seed + this): its initial weights do not depend
on how many random numbers the rating head happened to draw."""


@dataclass(frozen=True)
class RankingPhase:
    """A trained ranking head and what the artifact records of it."""

    network: RatingNetwork
    network_config: NetworkConfig
    config: RankingConfig
    rating_offset: float
    """The mean its rating histories are centred on (needed to rebuild it)."""
    metrics: dict[str, Any]


def train_ranking_head(
    features: "Features",
    data: TrainingData,
    preset: Preset,
    context: "RunContext",
    *,
    resume_from: dict[str, Any] | None,
    save: Callable[[dict[str, Any]], None],
    title: str,
) -> RankingPhase:
    """Train `preset.ranking` on `data.fitted`; `save(state)` after each epoch (and on Ctrl-C)
    with the phase's part of the checkpoint; `resume_from`: a checkpoint stopped in this
    phase."""
    config = preset.ranking
    if config is None:
        raise ValueError("the preset has no ranking head")
    out = Path(context.out)
    device = data.train.ratings.device
    network_config = config.network(preset.network)
    offset = float(data.fitted["rating"].mean())
    histories = None
    if network_config.history_dim:
        histories = rating_histories(data.fitted, data.tables.users, data.tables.movies, offset)
    tables = tables_to(feature_tables(features, network_config.title_tokens, histories), device)
    torch.manual_seed(context.seed + SEED_OFFSET)
    network = build_network(network_config, tables).to(device)
    trainer = RankingTrainer(network, RatingTensors.from_frame(data.fitted).to(device),
                             data.test, config, seed=context.seed + SEED_OFFSET)
    state = LoopState()
    if resume_from is not None:
        trainer.load_state_dict(resume_from["ranking_trainer"])
        state = LoopState.from_dict(resume_from["ranking_loop"])
        rewrite_log(out / RANKING_LOG, state.history)
    else:
        (out / RANKING_LOG).unlink(missing_ok=True)

    def save_state(current: LoopState) -> None:
        save({"ranking_trainer": trainer.state_dict(), "ranking_loop": current.to_dict()})

    def on_epoch(current: LoopState, record: dict[str, float]) -> None:
        append_record(out / RANKING_LOG, record)
        if context.progress:
            context.echo(summary_line(record))

    settings = LoopSettings(config.epochs, 0, context.progress, context.ranking_batch_callbacks,
                            label="ranking epoch")
    try:
        state = run_epochs(trainer, state, settings, save=save_state, on_epoch=on_epoch)
    finally:
        if state.history:
            plot_curves(out / RANKING_CURVES, state.history, title, RANKING_PANELS)
    return RankingPhase(network, network_config, config, offset,
                        _metrics(state, len(data.fitted)))


def summary_line(record: dict[str, float]) -> str:
    """One ranking epoch in a line: its loss, the probe's recall, its time."""
    parts = [f"ranking epoch {record['epoch']}", f"train loss {record['train_loss']:.4f}"]
    if "test_recall@10" in record:
        parts.append(f"test recall@10 {record['test_recall@10']:.4f} (sampled users, every "
                     "rating counts)")
    parts.append(f"{record['seconds']:.1f}s")
    return " | ".join(parts)


def _metrics(state: LoopState, rows: int) -> dict[str, Any]:
    last = state.history[-1]
    return {
        "final": {key: value for key, value in last.items()
                  if key.startswith(("train_", "test_"))},
        "epochs_run": state.epoch,
        **state.timings(rows),
    }
