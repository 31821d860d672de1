"""`movierec train`: fit a preset on a prepared release and write the model artifact.

torch and the training package are imported inside the command, so that `movierec --help` and
every other subcommand start without loading torch.
"""

import dataclasses
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from movierec import paths
from movierec.data.splits import PROTOCOLS
from movierec.data.splits import split_seed as protocol_seed
from movierec.errors import MovieRecError, UsageError

if TYPE_CHECKING:
    from movierec.training.context import RunContext
    from movierec.training.workers import Workers

HYPERPARAMETER_FLAGS = {
    "epochs": "training.epochs",
    "lr": "training.learning_rate",
    "batch_size": "training.batch_size",
    "weight_decay": "training.weight_decay",
    "patience": "training.patience",
}
"""Flag (click name) -> hyperparameter; any other one goes through --set or --config."""
RESUMABLE = {"dataset", "out", "resume", "epochs", "threads", "device", "quiet", "nproc"}
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
@click.option("--nproc", type=int, metavar="N",
              help="Train on N worker processes on this machine (torchrun --standalone), each "
              "a batch a step, the learning rate times sqrt(N); --threads is then per worker. "
              "Across machines, start `torchrun ... -m movierec train` instead (README).")
@click.option("--quiet", is_flag=True, help="No progress bars or per-epoch lines.")
@click.pass_context
def train(ctx: click.Context, dataset: str, preset: str, config_file: Path | None,
          assignments: tuple[str, ...], split_method: str, test_fraction: float,
          split_seed: int | None, split_files: tuple[Path, Path] | None, out: Path | None,
          resume: bool, seed: int, threads: int | None, device: str, nproc: int | None,
          quiet: bool, **flags: Any) -> None:
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
    from movierec.training.workers import worker_environment

    if resume:
        _check_resumable(ctx, out)
    overrides = hyperparameter_overrides(config_file, assignments, flags)
    if worker_environment() is not None:
        if nproc is not None:
            raise UsageError("this is one of torchrun's workers already; drop --nproc (torchrun's "
                             "--nproc-per-node says how many run on each machine)")
        if out is None:
            raise UsageError("a run on several workers needs --out: each worker must write to "
                             "and read from the same run folder")
    folder = out or paths.runs_dir() / _run_name(dataset, preset)
    if nproc is not None and nproc != 1:
        with_overrides(get_preset(preset), overrides)  # a wrong setting is said before launch
        sys.exit(_launch(ctx, nproc, folder, dataset=dataset, resume=resume, device=device,
                         threads=threads))
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
    with _joined(context) as context:
        try:
            if resume:
                result = resume_run(dataset, context, epochs=overrides.get("training.epochs"))
            else:
                result = start_run(dataset, with_overrides(get_preset(preset), overrides),
                                   spec, context)
        except TrainingInterrupted as stopped:
            if context.workers is None or context.workers.writes:
                click.echo(f"{stopped}. Resume with:\n  "
                           f"{_resume_command(dataset, folder, context.workers)}", err=True)
            sys.exit(INTERRUPTED_EXIT)
    if context.workers is not None and not context.workers.writes:
        return
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


@contextmanager
def _joined(context: "RunContext") -> Iterator["RunContext"]:
    """`context` with this process's workers, when torchrun started it as one of several; the
    process group is closed afterwards. A user error on a worker other than the first names
    the worker: on a cluster it may be the only one that sees it."""
    from movierec.training.run import resolve_device
    from movierec.training.workers import join_workers, leave_workers, worker_environment

    if worker_environment() is None:
        yield context
        return
    workers = join_workers(resolve_device(context.device))
    try:
        yield dataclasses.replace(context, workers=workers)
    except MovieRecError as error:
        if workers.rank:
            raise type(error)(f"worker {workers.rank}: {error}") from None
        raise
    finally:
        leave_workers(workers)


def _launch(ctx: click.Context, nproc: int, folder: Path, *, dataset: str, resume: bool,
            device: str, threads: int | None) -> int:
    """Check what can be checked here, then start `nproc` local workers (`launch_local`)."""
    import torch

    from movierec.data.features import resolve_prepared
    from movierec.training.checkpoint import CHECKPOINT, checked_checkpoint
    from movierec.training.launch import launch_local
    from movierec.training.run import check_fresh_folder, default_threads, resolve_device

    if nproc < 1:
        raise UsageError(f"--nproc {nproc}: give at least 1 worker")
    where = resolve_device(device)
    gpus = torch.cuda.device_count() if where.type == "cuda" else 0
    if where.type == "cuda" and nproc > gpus:
        raise UsageError(f"--nproc {nproc} with --device cuda: this machine has {gpus} GPU(s); "
                         "start at most one worker per GPU")
    cpus = os.cpu_count() or 1
    if where.type == "cpu" and nproc > cpus:
        raise UsageError(f"--nproc {nproc}: this machine has {cpus} CPUs; workers sharing a "
                         f"core train slower than fewer workers would, use at most {cpus}")
    resolve_prepared(dataset)
    folder = folder.resolve()
    if resume:
        checked_checkpoint(folder / CHECKPOINT)
    else:
        check_fresh_folder(folder)
    return launch_local(nproc, worker_arguments(ctx, folder),
                        threads=threads or default_threads(nproc), out=folder)


def worker_arguments(ctx: click.Context, out: Path) -> list[str]:
    """The command line each worker runs `train` with: what the user gave, but --nproc, and
    --out fixed to one folder."""
    arguments: list[str] = []
    for parameter in ctx.command.params:
        name = parameter.name or ""
        if name in ("nproc", "out") or (
                ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE):
            continue
        value = ctx.params[name]
        if isinstance(parameter, click.Argument):
            arguments.append(str(value))
            continue
        flag = parameter.opts[0]
        if isinstance(parameter, click.Option) and parameter.is_flag:
            arguments += [flag] if value else []
        elif isinstance(parameter, click.Option) and parameter.multiple:
            for item in value:
                arguments += [flag, str(item)]
        elif parameter.nargs > 1:
            arguments += [flag, *(str(item) for item in value)]
        else:
            arguments += [flag, str(value)]
    return [*arguments, "--out", str(out)]


def _resume_command(dataset: str, folder: Path, workers: "Workers | None") -> str:
    """The command that continues this run, as the user started it."""
    from movierec.training.launch import NPROC_VARIABLE

    nproc = os.environ.get(NPROC_VARIABLE)
    if workers is not None and nproc is None:
        return "the same torchrun command, with --resume"
    many = f" --nproc {nproc}" if workers is not None else ""
    return f"movierec train {dataset} --out {folder}{many} --resume"


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
            "--threads, --device and --nproc may change)"
        )


def _run_name(dataset: str, preset: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{Path(dataset).name}-{preset}-{stamp}"
