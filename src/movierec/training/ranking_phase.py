"""A run's second phase: the ranking head, trained after the rating head on the whole training
part (there is no early stopping to hold ratings back for), with its own log, curves and
checkpoint state."""

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from movierec.model.ensemble import build_network
from movierec.run_log import RANKING_CURVES, RANKING_LOG, RANKING_PANELS
from movierec.training.config import Preset
from movierec.training.context import RankingPhase, RunContext
from movierec.training.data import (
    RatingTensors,
    TrainingData,
    feature_tables,
    rating_histories,
    tables_to,
)
from movierec.training.loop import LoopSettings, LoopState
from movierec.training.phase import Phase, head_name, phase_timings, run_phase, worker_figures
from movierec.training.ranking_trainer import RankingTrainer
from movierec.training.workers import Workers, draw_apart

if TYPE_CHECKING:
    from movierec.data.features import Features

SEED_OFFSET = 1
"""The ranking head starts from torch seed (run seed + this): its initial weights do not depend
on how many random numbers the rating head happened to draw."""


def train_ranking_head(
    features: "Features",
    data: TrainingData,
    preset: Preset,
    context: RunContext,
    *,
    resume_from: dict[str, Any] | None,
    save: Callable[[dict[str, Any]], None],
    title: str,
) -> RankingPhase:
    """Train `preset.ranking` on `data.fitted`; `save(part)` after each epoch (and on Ctrl-C)
    with the phase's part of the checkpoint; `resume_from`: the run's checkpoint, which this
    phase continues when it stopped in it."""
    config = preset.ranking
    if config is None:
        raise ValueError("the preset has no ranking head")
    device = data.train.ratings.device
    network_config = config.network(preset.network)
    offset = float(data.fitted["rating"].mean())
    histories = None
    if network_config.history_dim:
        histories = rating_histories(data.fitted, data.tables.users, data.tables.movies, offset)
    tables = tables_to(feature_tables(features, network_config.title_tokens, histories), device)
    workers = context.workers or Workers.alone(device)
    torch.manual_seed(context.seed + SEED_OFFSET)
    network = build_network(network_config, tables).to(device)
    draw_apart(workers, context.seed + SEED_OFFSET)
    trainer = RankingTrainer(network, RatingTensors.from_frame(data.fitted).to(device),
                             data.test, config, seed=context.seed + SEED_OFFSET,
                             workers=workers)
    loop = LoopSettings(config.epochs, 0, context.progress, context.ranking_batch_callbacks,
                        label="ranking epoch", phase=head_name("ranking head", config.members),
                        summary=summary_line, echo=context.echo,
                        agree_to_stop=trainer.stop_agreement)
    phase = Phase("ranking", loop, ("ranking_trainer", "ranking_loop"), RANKING_LOG,
                  RANKING_CURVES, RANKING_PANELS, title)
    state = run_phase(trainer, phase, Path(context.out), resume_from=resume_from, save=save,
                      writes=workers.writes)
    return RankingPhase(network, network_config, config, offset,
                        {**_metrics(state, len(data.fitted)), **worker_figures(trainer)})


def summary_line(record: dict[str, float]) -> str:
    """A ranking epoch's figures in a line: its loss, the probe's recall, its time."""
    parts = [f"train loss {record['train_loss']:.4f}"]
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
        **phase_timings(state, rows),
    }
