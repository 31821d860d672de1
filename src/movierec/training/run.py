"""A training run from start to artifact: data, split, network, the epoch loop, checkpoints,
logs and the export. `start_run` begins one; `resume_run` continues a stopped one exactly.

A run has one or two phases: the rating head's epochs, then, when the preset has a ranking
head, the ranking head's (`movierec.training.ranking_phase`). The checkpoint says which phase
it stopped in, so a resume picks up there. The new-user head, when the preset has one, is
fitted last, in seconds, and is not checkpointed: a resume fits it again."""

import dataclasses
import os
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from movierec.artifacts import MANIFEST
from movierec.data.features import Features, load_features
from movierec.data.releases import liked_rating
from movierec.data.splits import Split, files_split, split_ratings
from movierec.errors import UsageError
from movierec.model.ensemble import RatingNetwork, build_network
from movierec.run_log import CURVES, METRICS_LOG, RANKING_CURVES, RANKING_LOG, RATING_PANELS
from movierec.training.checkpoint import CHECKPOINT, load_checkpoint, save_checkpoint
from movierec.training.config import (
    Preset,
    preset_from_settings,
    preset_settings,
    sized_for,
)
from movierec.training.context import RankingPhase, RunContext, RunResult, SplitSpec
from movierec.training.data import TrainingData, build_training_data, rating_histories
from movierec.training.export import export_artifact
from movierec.training.loop import LoopSettings, LoopState
from movierec.training.new_user_trainer import NewUserPhase, fit_new_user_head
from movierec.training.phase import Phase, head_name, phase_timings, run_phase, worker_figures
from movierec.training.ranking_phase import train_ranking_head
from movierec.training.trainer import RatingTrainer
from movierec.training.vectors import tower_vectors
from movierec.training.workers import Workers, draw_apart


def start_run(dataset: str | Path, preset: Preset, split: SplitSpec,
              context: RunContext) -> RunResult:
    """Train `preset` on `dataset` from scratch and write the artifact at `context.out`."""
    return train_features(load_features(dataset), preset, split, context)


def train_features(features: Features, preset: Preset, split: SplitSpec,
                   context: RunContext) -> RunResult:
    """`start_run` on features already loaded, such as a release with the site's accounts
    added (`movierec.data.site_users`). Such a run cannot be resumed: `resume_run` reloads the
    release alone."""
    # Only the worker that writes the folder looks at it: on a cluster it is on its machine.
    if run_workers(context).writes:
        check_fresh_folder(Path(context.out))
    return _train(features, preset, split, context, checkpoint=None)


def check_fresh_folder(out: Path) -> None:
    """UsageError when `out` already holds a run (or anything else)."""
    if (out / CHECKPOINT).exists() or (out.is_dir() and any(out.iterdir())):
        raise UsageError(
            f"{out} already holds a run; add --resume to continue it, or choose another --out"
        )


def resume_run(dataset: str | Path, context: RunContext, *, epochs: int | None = None
               ) -> RunResult:
    """Continue the run in `context.out` from its checkpoint, with its own settings; only the
    number of epochs may grow (and only without a learning-rate schedule that depends on it)."""
    payload = load_checkpoint(Path(context.out) / CHECKPOINT, context.workers)
    features = load_features(dataset)
    run = payload["run"]
    if features.data_checksum != run["data_checksum"]:
        raise UsageError(
            f"{context.out} was trained on other data ({run['dataset']}, checksum "
            f"{run['data_checksum'][:12]}...); resume it with the same prepared dataset"
        )
    preset = preset_from_settings(run["preset"], payload, "resumed run")
    training = preset.training
    if epochs is not None and payload.get("phase") == "ranking":
        raise UsageError("this run's rating epochs are done and its ranking head is training; "
                         "resume it without --epochs")
    started = payload["loop"]["epoch"] + (1 if payload["trainer"]["position"] else 0)
    if epochs is not None and epochs < started:
        raise UsageError(f"this run has already started epoch {started}; --epochs cannot be "
                         "less than that")
    if epochs is not None and epochs != training.epochs:
        if training.schedule != "constant":
            raise UsageError(
                f"this run's {training.schedule} schedule is laid over {training.epochs} "
                "epochs; it cannot be resumed with another --epochs"
            )
        if training.scale_with_data:
            raise UsageError("this run sizes its epochs and members by the data "
                             "(training.scale_with_data); it cannot be resumed with --epochs")
        training = dataclasses.replace(training, epochs=epochs)
    preset = dataclasses.replace(preset, training=training)
    split = SplitSpec(**{**run["split"], "files": _pair(run["split"]["files"])})
    context = dataclasses.replace(context, seed=int(run["seed"]))
    if run_workers(context).writes:
        # The folder is a run in progress again until the new artifact replaces it.
        (Path(context.out) / MANIFEST).unlink(missing_ok=True)
    return _train(features, preset, split, context, checkpoint=payload)


def make_split(features: Features, spec: SplitSpec) -> Split:
    """The train/test split `spec` describes, of `features`' ratings."""
    if spec.files is not None:
        return files_split(Path(spec.files[0]), Path(spec.files[1]))
    return split_ratings(features.ratings, spec.method, spec.test_fraction, spec.seed)


def default_threads(local_workers: int = 1) -> int:
    """Half the logical CPUs, shared among this machine's `local_workers`, at least one each:
    threads that spin waiting for a core another process keeps busy train slower than fewer
    threads would (docs/training-speed.md, "Threads"), so the default leaves cores to the rest
    of the machine."""
    return max(1, (os.cpu_count() or 1) // 2 // max(local_workers, 1))


def run_workers(context: RunContext) -> Workers:
    """The run's workers: `context.workers`, or this process alone on `context.device`."""
    return context.workers or Workers.alone(resolve_device(context.device))


def resolve_device(name: str) -> torch.device:
    """"auto" -> cuda when available, else cpu; UsageError for cuda without a GPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA GPU is available here; use --device cpu")
    if name not in ("cpu", "cuda"):
        raise UsageError(f"unknown device {name!r}; choose auto, cpu or cuda")
    return torch.device(name)


def _train(features: Features, preset: Preset, spec: SplitSpec, context: RunContext,
           checkpoint: dict[str, Any] | None) -> RunResult:
    out = Path(context.out)
    workers = run_workers(context)
    if workers.writes:
        out.mkdir(parents=True, exist_ok=True)
    device = workers.device
    torch.set_num_threads(context.threads or default_threads(workers.local_count))
    # Only the writing worker shows progress: one set of lines, whatever the workers.
    context = dataclasses.replace(context, workers=workers,
                                  progress=context.progress and workers.writes)
    torch.manual_seed(context.seed)
    split = make_split(features, spec)
    data = build_training_data(
        features, split, title_tokens=preset.network.title_tokens,
        validation_fraction=preset.training.validation_fraction, seed=context.seed,
        histories=preset.network.history_dim > 0,
    ).to(device)
    # The checkpoint records the preset as given; what it means for this data follows from it.
    sized = sized_for(preset, len(data.train))
    if sized != preset and context.progress:
        context.echo(_sized_line(sized, len(data.train)))
    network = build_network(sized.network, data.tables).to(device)
    draw_apart(workers, context.seed)
    trainer = RatingTrainer(network, data, sized.training, seed=context.seed, workers=workers)
    header = {
        "run": {"dataset": features.name, "data_checksum": features.data_checksum,
                "preset": preset.name, "seed": context.seed, "split": asdict(spec)},
        **preset_settings(preset),
    }
    title = f"{features.name}, preset {preset.name}"
    rating = _rating_phase(sized, context, title, trainer)

    def save(part: dict[str, Any], *, before: dict[str, Any]) -> None:
        # Every worker makes its part (which gathers theirs); one writes it.
        if workers.writes:
            save_checkpoint(out / CHECKPOINT, {**before, **part})

    state = run_phase(trainer, rating, out, resume_from=checkpoint, writes=workers.writes,
                      save=lambda part: save(part, before=header))
    ranking = None
    if preset.ranking is not None:
        # The rating head is done: its part of the checkpoint stays as it is from here on.
        rating_part = {**header, **rating.checkpoint_part(trainer, state)}
        ranking = train_ranking_head(
            features, data, sized, context, resume_from=checkpoint,
            save=lambda part: save(part, before=rating_part),
            title=f"{title}, ranking head",
        )
    return _finish(trainer, state, features, preset, split, data, context, ranking)


def _rating_phase(preset: Preset, context: RunContext, title: str,
                  trainer: RatingTrainer) -> Phase:
    loop = LoopSettings(
        preset.training.epochs, preset.training.patience, context.progress,
        context.batch_callbacks, phase=head_name("rating head", preset.network.members),
        summary=_summary_line, echo=context.echo,
        agree_to_stop=trainer.stop_agreement,
    )
    return Phase("rating", loop, ("trainer", "loop"), METRICS_LOG, CURVES, RATING_PANELS, title)


def _finish(trainer: RatingTrainer, state: LoopState, features: Features, given: Preset,
            split: Split, data: TrainingData, context: RunContext,
            ranking: RankingPhase | None) -> RunResult:
    """Final metrics and the artifact, once the loops are done; `given` is the preset as
    given, before `sized_for`."""
    preset = sized_for(given, len(data.train))
    out, network = Path(context.out), trainer.network
    if preset.network.history_dim:
        network.use_histories(*rating_histories(
            data.fitted, data.tables.users, data.tables.movies, data.tables.rating_offset))
    metrics = _final_metrics(trainer, state, len(data.train), context)
    if ranking is not None:
        metrics["ranking"] = ranking.metrics
    workers = run_workers(context)
    if not workers.writes:
        # The artifact is the writing worker's; the others are done once the figures are.
        return RunResult(out, metrics, state.history)
    new_users = None
    if preset.new_users.enabled:
        new_users = _new_user_head(network, data, preset, context)
        metrics["new_users"] = new_users.metrics
    split_document = {
        **split.protocol,
        "train": len(data.fitted),
        "validation": len(data.validation) if data.validation else 0,
        "test": len(data.test_frame),
        "validation_fraction": preset.training.validation_fraction,
        "validation_seed": context.seed,
    }
    names = (METRICS_LOG, CURVES, CHECKPOINT) + ((RANKING_LOG, RANKING_CURVES) if ranking
                                                 else ())
    files = {name: (out / name).read_bytes() for name in names}
    export_artifact(out, network=network, preset=preset, given=given, features=features,
                    data=data, split_document=split_document, metrics=metrics, files=files,
                    ranking=ranking, new_users=new_users,
                    new_user_ratings=_held_out_users(features, split))
    return RunResult(out, metrics, state.history)


def _new_user_head(network: RatingNetwork, data: TrainingData, preset: Preset,
                   context: RunContext) -> NewUserPhase:
    """The new-user head, fitted on the finished rating head's movie vectors."""
    started = time.perf_counter()
    with torch.no_grad():
        _, movie_vectors = tower_vectors(network)
    tables = data.tables
    who = None
    if tables.has_demographics:
        who = torch.stack([tables.user_gender, tables.user_age, tables.user_occupation], dim=1)
    phase = fit_new_user_head(movie_vectors, data.fitted, preset.new_users,
                              liked=liked_rating(*data.rating_scale), who=who,
                              seed=context.seed)
    if context.progress:
        context.echo(f"new-user head: {phase.metrics['users']:,} users' first ratings, "
                     f"{phase.config.epochs} epochs ({time.perf_counter() - started:.0f}s)")
    return phase


def _held_out_users(features: Features, split: Split) -> pd.DataFrame | None:
    """The held-out users' ratings of a user-holdout split, indexed, in (user, time) order."""
    if split.new_users is None:
        return None
    return features.index_ratings(split.new_users, source="held-out users")


def _final_metrics(trainer: RatingTrainer, state: LoopState, train_rows: int,
                   context: RunContext) -> dict[str, Any]:
    chosen = state.best_epoch if state.best_weights is not None else state.epoch
    record = next((r for r in state.history if r["epoch"] == chosen), state.history[-1])
    # Validation figures come from the chosen epoch: after training, the validation ratings
    # join the rating histories, so they no longer measure anything held out.
    return {
        "final": {
            **{key: value for key, value in record.items()
               if key.startswith(("train_", "validation_"))},
            **{key: value for key, value in trainer.evaluate().items()
               if key.startswith("test_")},
        },
        "epoch": chosen,
        "stopped_early": state.stopped_early,
        **phase_timings(state, train_rows),
        "device": str(next(trainer.network.parameters()).device),
        "threads": torch.get_num_threads(),
        "seed": context.seed,
        **worker_figures(trainer),
    }



def _sized_line(sized: Preset, rows: int) -> str:
    """What `sized_for` made of the preset, said once at the start."""
    members = sized.network.members
    line = (f"sized for {rows:,} training ratings (training.scale_with_data): rating head "
            f"{members} member{'s' if members > 1 else ''}, {sized.training.epochs} epochs at "
            "most")
    if sized.ranking is not None:
        line += f"; ranking head {sized.ranking.epochs} epochs"
    return line


def _summary_line(record: dict[str, float]) -> str:
    """A rating epoch's figures in a line: RMSE and MAE of each part, its time."""
    parts = []
    for part in ("train", "validation", "test"):
        if f"{part}_rmse" in record:
            rmse, mae = record[f"{part}_rmse"], record[f"{part}_mae"]
            parts.append(f"{part} rmse {rmse:.4f} mae {mae:.4f}")
    parts.append(f"{record['seconds']:.1f}s")
    return " | ".join(parts)


def _pair(files: Sequence[str] | None) -> tuple[str, str] | None:
    return None if files is None else (str(files[0]), str(files[1]))
