"""`movierec train`: fit a preset on a prepared release and write the model artifact.

torch and the training package are imported inside the command, so that `movierec --help` and
every other subcommand start without loading torch.
"""

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from movierec import paths
from movierec.data.splits import PROTOCOLS
from movierec.data.splits import split_seed as protocol_seed
from movierec.errors import UsageError

HYPERPARAMETER_FLAGS = {
    "epochs": "training.epochs",
    "lr": "training.learning_rate",
    "batch_size": "training.batch_size",
    "weight_decay": "training.weight_decay",
    "patience": "training.patience",
}
"""Flag (click name) -> hyperparameter; any other one goes through --set or --config."""
RESUMABLE = {"dataset", "out", "resume", "epochs", "threads", "device", "quiet"}
"""Options a resumed run accepts; everything else is fixed by its checkpoint."""
INTERRUPTED_EXIT = 130
"""The shell's exit status for a command stopped by Ctrl-C."""


class PresetChoice(click.Choice):
    """The names of `movierec.training.config.PRESETS`, read when first asked for (by `train
    --help` or by checking a value): that module needs torch, which only `train` may load."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=True)

    @property
    def choices(self) -> Sequence[str]:
        from movierec.training.config import PRESETS

        return tuple(PRESETS)

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        """click.Choice sets its choices when made; these come from the presets instead."""


@click.command()
@click.argument("dataset")
@click.option("--preset", type=PresetChoice(), default="default", show_default=True,
              help="seed: the original network exactly; default: the better one.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of hyperparameters: [network], [training], [ranking] and "
              "[new_users] tables; ranking = false drops the ranking head.")
@click.option("--set", "assignments", multiple=True, metavar="SECTION.NAME=VALUE",
              help="Set any hyperparameter, e.g. --set training.epochs=3 or --set "
              "ranking.popularity_correction=0.5; --set ranking=false drops the ranking head, "
              "--set new_users.enabled=false the new-user head (repeatable).")
@click.option("--epochs", type=int,
              help="Override the preset's number of epochs (under training.scale_with_data, "
              "the count at 100,000 ratings: larger data gets fewer).")
@click.option("--lr", type=float, help="Override the learning rate.")
@click.option("--batch-size", type=int, help="Override the batch size.")
@click.option("--weight-decay", type=float, help="Override the weight decay.")
@click.option("--patience", type=int, help="Early-stopping patience in epochs (0: off).")
@click.option("--split", "split_method", type=click.Choice(PROTOCOLS),
              default="random", show_default=True,
              help="How to hold out the test part; user-holdout keeps a share of the users out "
              "whole, to play new users in `movierec evaluate` (PROTOCOLS.md).")
@click.option("--test-fraction", type=float, default=0.2, show_default=True,
              help="Share held out for test (random, temporal), or of the users held out "
              "(user-holdout).")
@click.option("--split-seed", type=int,
              help="Seed of the random and user-holdout splits [default: 0; 42 for "
              "user-holdout, as PROTOCOLS.md draws it].")
@click.option("--split-files", nargs=2, type=click.Path(dir_okay=False, path_type=Path),
              metavar="TRAIN.csv TEST.csv",
              help="Use a split given as two CSVs (user,movie,rating,timestamp).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The model folder (default: a new folder under $MOVIEREC_HOME/runs).")
@click.option("--resume", is_flag=True, help="Continue the stopped run in --out.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of initialisation, shuffling, dropout and the validation hold-out.")
@click.option("--threads", type=int,
              help="CPU threads for torch (default: half the CPUs, at least 1).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              show_default=True, help="auto picks a GPU when there is one.")
@click.option("--quiet", is_flag=True, help="No progress bars or per-epoch lines.")
@click.pass_context
def train(ctx: click.Context, dataset: str, preset: str, config_file: Path | None,
          assignments: tuple[str, ...], split_method: str, test_fraction: float,
          split_seed: int | None, split_files: tuple[Path, Path] | None, out: Path | None,
          resume: bool, seed: int, threads: int | None, device: str, quiet: bool,
          **flags: Any) -> None:
    """Train the two-tower network on DATASET (a prepared release name or folder).

    Shows on stderr a line per epoch (the head it trains, the epoch out of the most it may
    run, the time the phase has left), with a bar through each epoch on a terminal; logs
    per-epoch train/validation/test metrics to metrics.jsonl, plots loss-curves.png, saves a
    checkpoint every epoch (Ctrl-C saves one too; continue with --resume) and finally writes
    the model artifact into --out.
    """
    from movierec.training.config import get_preset, with_overrides
    from movierec.training.context import RunContext, SplitSpec
    from movierec.training.loop import TrainingInterrupted
    from movierec.training.run import resume_run, start_run

    if resume:
        _check_resumable(ctx, out)
    overrides = hyperparameter_overrides(config_file, assignments, flags)
    folder = out or paths.runs_dir() / _run_name(dataset, preset)
    context = RunContext(folder, seed=seed, device=device, threads=threads,
                         progress=not quiet, echo=lambda line: click.echo(line, err=True))
    if split_files and ctx.get_parameter_source("split_method") is ParameterSource.COMMANDLINE:
        raise UsageError("give either --split or --split-files, not both")
    spec = SplitSpec(
        method="files" if split_files else split_method,
        test_fraction=test_fraction,
        seed=protocol_seed(split_method, split_seed),
        files=(str(split_files[0]), str(split_files[1])) if split_files else None,
    )
    try:
        if resume:
            result = resume_run(dataset, context, epochs=overrides.get("training.epochs"))
        else:
            result = start_run(dataset, with_overrides(get_preset(preset), overrides), spec,
                               context)
    except TrainingInterrupted as stopped:
        click.echo(f"{stopped}. Resume with:\n  movierec train {dataset} --out {folder} "
                   "--resume", err=True)
        sys.exit(INTERRUPTED_EXIT)
    final = result.metrics["final"]
    click.echo(f"model written to {result.out}")
    click.echo(
        f"  test rmse {final.get('test_rmse', float('nan')):.4f}, "
        f"mae {final.get('test_mae', float('nan')):.4f} after epoch {result.metrics['epoch']} "
        f"of {result.metrics['epochs_run']} ({result.metrics['seconds_total']:.0f}s)"
    )
    ranking = result.metrics.get("ranking")
    if ranking:
        recall = ranking["final"].get("test_recall@10")
        shown = "" if recall is None else (
            f"recall@10 {recall:.4f} of every test rating (sampled users), ")
        click.echo(f"  ranking head: {shown}{ranking['epochs_run']} epochs "
                   f"({ranking['seconds_total']:.0f}s); full top-10 figures: `movierec evaluate "
                   f"--model {result.out}`")


def hyperparameter_overrides(config_file: Path | None, assignments: tuple[str, ...],
               flags: dict[str, Any]) -> dict[str, Any]:
    """Hyperparameters by qualified name, from the file, then --set, then the named flags
    (later ones win)."""
    from movierec.training.config import qualified_name, read_config_file

    overrides: dict[str, Any] = read_config_file(config_file) if config_file else {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--set {assignment!r}: expected SECTION.NAME=VALUE")
        try:
            overrides[qualified_name(name)] = value.strip()
        except UsageError as error:
            raise UsageError(f"--set {assignment!r}: {error}") from None
    for flag, name in HYPERPARAMETER_FLAGS.items():
        if flags.get(flag) is not None:
            overrides[name] = flags[flag]
    return overrides


def _check_resumable(ctx: click.Context, out: Path | None) -> None:
    if out is None:
        raise UsageError("--resume needs --out: the folder of the run to continue")
    given = [
        name for name in ctx.params
        if name not in RESUMABLE
        and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    ]
    if given:
        shown = ", ".join(f"--{name.replace('_', '-')}" for name in given)
        raise UsageError(
            f"a resumed run keeps the settings it started with; drop {shown} (only --epochs, "
            "--threads and --device may change)"
        )


def _run_name(dataset: str, preset: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{Path(dataset).name}-{preset}-{stamp}"
