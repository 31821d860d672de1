"""Training speed and memory of the default preset (both heads) on synthetic data of the real
releases' sizes, through the real command line.

    .venv/bin/python benchmarks/train_speed.py [--sizes ml-100k ml-1m ml-10m ml-32m]
                                               [--full ml-1m] [--threads N] [--keep DIR]

For each size: `movierec data synth` (the release's users, movies and ratings), `data fetch
--from`, `data prepare`; then, in a fresh process whose peak RSS is measured, the default
preset as `movierec train` sizes it for that data (random 80/20 split), one epoch of each head:
the first `--batches` batches of each (all of them on smaller data) are timed, history
refreshes included, and the epoch's time is their rate times its batches. Reported: seconds per
epoch of each head, ratings per second, microseconds per rating, and that cost as a ratio to
ML-1M's (the goal: the cost of a rating does not grow with the data). `--full` also times whole
default runs end to end (every epoch, early stopping, export), as `movierec train NAME` does.
Writes benchmarks/results/train-speed.md. Not a test: run it alone on a quiet machine.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

RESULTS = Path(__file__).parent / "results" / "train-speed.md"
SHAPES = {
    "ml-100k": (943, 1_682, 100_000),
    "ml-1m": (6_040, 3_706, 1_000_209),
    "ml-10m": (69_878, 10_677, 10_000_054),
    "ml-32m": (200_948, 84_432, 32_000_204),
}

_EPOCH_CHILD = """
import json, resource, sys, time
import torch
from movierec.data.features import load_features
from movierec.data.splits import random_split
from movierec.model.ensemble import build_network
from movierec.training.config import get_preset, sized_for
from movierec.training.data import RatingTensors, build_training_data, feature_tables
from movierec.training.data import rating_histories
from movierec.training.ranking_trainer import RankingTrainer
from movierec.training.run import default_threads
from movierec.training.trainer import RatingTrainer

dataset, batches, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads or default_threads())
features = load_features(dataset)
preset = get_preset("default")
data = build_training_data(features, random_split(features.ratings, 0.2, 0),
                           title_tokens=preset.network.title_tokens,
                           validation_fraction=preset.training.validation_fraction, seed=0,
                           histories=True)
preset = sized_for(preset, len(data.train))

class Enough(Exception):
    pass

def timed(trainer):
    \"\"\"Seconds per batch over the first `batches` of an epoch (after one warm-up batch).\"\"\"
    marks = []
    def on_batch(done, loss):
        marks.append(time.perf_counter())
        if done > batches:
            raise Enough
    try:
        trainer.train_epoch(on_batch)
    except Enough:
        pass
    return (marks[-1] - marks[0]) / (len(marks) - 1), trainer.batches_per_epoch

torch.manual_seed(0)
rating = RatingTrainer(build_network(preset.network, data.tables), data, preset.training, seed=0)
rating_batch, rating_batches = timed(rating)
ranking_network = preset.ranking.network(preset.network)
offset = float(data.fitted["rating"].mean())
tables = feature_tables(features, ranking_network.title_tokens,
                        rating_histories(data.fitted, data.tables.users, data.tables.movies,
                                         offset))
ranking = RankingTrainer(build_network(ranking_network, tables),
                         RatingTensors.from_frame(data.fitted), data.test, preset.ranking, seed=1)
ranking_batch, ranking_batches = timed(ranking)
print(json.dumps({
    "rating_rows": len(data.train), "ranking_rows": len(data.fitted),
    "members": preset.network.members, "epochs": preset.training.epochs,
    "ranking_epochs": preset.ranking.epochs,
    "rating_epoch": rating_batch * rating_batches, "ranking_epoch": ranking_batch * ranking_batches,
    "timed_batches": min(batches, rating_batches), "threads": torch.get_num_threads(),
    "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024,
}))
"""
"""One epoch of each head of the default preset as sized for the data, timed over its first
batches, in a process of its own (its peak RSS is this measurement's alone)."""

_MEASURED_CHILD = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""
"""Runs one command and reports its wall time and peak RSS (KiB): a process of its own, so the
peak is that command's alone."""


def movierec(*arguments: str, env: dict[str, str], measured: bool = False
             ) -> tuple[float, float]:
    """Run `movierec ARGUMENTS`; (wall seconds, peak RSS in GiB) when `measured`. Stops the
    benchmark, showing the command's errors, when it fails."""
    command = [sys.executable, "-m", "movierec.cli.main", *arguments]
    if measured:
        command = [sys.executable, "-c", _MEASURED_CHILD, *command]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"`movierec {' '.join(arguments)}` failed:\n{result.stderr[-3000:]}")
    if not measured:
        return 0.0, 0.0
    seconds, peak = result.stdout.split()[-2:]
    return float(seconds), int(peak) / 1024 / 1024


def prepare(name: str, home: Path) -> dict[str, str]:
    """A synthetic release of `name`'s size, fetched and prepared in `home`; the environment
    that points movierec at it."""
    env = {**os.environ, "MOVIEREC_HOME": str(home)}
    users, movies, ratings = SHAPES[name]
    raw = home / "synthetic" / name
    started = time.perf_counter()
    movierec("data", "synth", "--like", name, "--users", str(users), "--movies", str(movies),
             "--ratings", str(ratings), "--out", str(raw), env=env)
    movierec("data", "fetch", name, "--from", str(raw), env=env)
    movierec("data", "prepare", name, env=env)
    print(f"{name}: synthetic data prepared in {time.perf_counter() - started:.0f}s", flush=True)
    return env


def one_epoch(name: str, env: dict[str, str], batches: int, threads: int | None
              ) -> dict[str, Any]:
    """The figures of one epoch of each head at `name`'s size."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _EPOCH_CHILD, name, str(batches),
                             str(threads or 0)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"timing {name} failed:\n{result.stderr[-3000:]}")
    return {**json.loads(result.stdout.splitlines()[-1]),
            "command_seconds": time.perf_counter() - started}


def train(name: str, env: dict[str, str], out: Path, threads: int | None) -> dict[str, Any]:
    """One measured, whole `movierec train` run; its figures."""
    flags = ["--quiet", "--out", str(out)] + (["--threads", str(threads)] if threads else [])
    seconds, peak = movierec("train", name, *flags, env=env, measured=True)
    metrics = json.loads((out / "metrics.json").read_text())
    ranking = metrics.get("ranking", {})
    return {
        "command_seconds": seconds,
        "peak_gib": peak,
        "rating_epochs": metrics["epochs_run"],
        "rating_seconds": metrics["seconds_total"],
        "ranking_epochs": ranking.get("epochs_run", 0),
        "ranking_seconds": ranking.get("seconds_total", 0.0),
        "test_rmse": metrics["final"].get("test_rmse"),
        "test_recall": ranking.get("final", {}).get("test_recall@10"),
    }


def per_rating_microseconds(row: dict[str, Any]) -> float:
    """One epoch of both heads, per training rating."""
    epoch = row["rating_epoch"] + row["ranking_epoch"]
    return 1e6 * epoch / row["ranking_rows"]


def epoch_table(rows: dict[str, dict[str, Any]]) -> list[str]:
    reference = rows.get("ml-1m")
    lines = [
        "| size | training ratings | members, epochs (rating / ranking) | rating head: s / "
        "epoch | ranking head: s / epoch | ratings / s (both heads) | µs per rating | vs ML-1M "
        "| peak memory |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        cost = per_rating_microseconds(row)
        ratio = f"{cost / per_rating_microseconds(reference):.2f}x" if reference else "–"
        lines.append(
            f"| {name} | {row['ranking_rows']:,} | {row['members']}, {row['epochs']} / "
            f"{row['ranking_epochs']} | {row['rating_epoch']:.1f} | {row['ranking_epoch']:.1f} | "
            f"{1e6 / cost:,.0f} | {cost:.1f} | {ratio} | {row['peak_gib']:.2f} GiB |"
        )
    return lines


def full_table(rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| size | whole `movierec train` | rating head | ranking head | test RMSE | "
        "ranking recall@10 (sampled users) | peak memory |",
        "|---|---:|---|---|---:|---:|---:|",
    ]
    for name, row in rows.items():
        recall = row["test_recall"]
        lines.append(
            f"| {name} | {row['command_seconds'] / 60:.1f} min | {row['rating_epochs']} epochs, "
            f"{row['rating_seconds']:.0f} s | {row['ranking_epochs']} epochs, "
            f"{row['ranking_seconds']:.0f} s | {row['test_rmse']:.4f} | "
            f"{'–' if recall is None else f'{recall:.4f}'} | {row['peak_gib']:.2f} GiB |"
        )
    return lines


def write(epochs: dict[str, Any], full: dict[str, Any], command: str, threads: int,
          epochs_batches: int) -> None:
    lines = [
        "# Training speed and memory: the default preset, synthetic data of each release's size",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}` on "
        f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores, {threads} "
        f"torch threads), torch {torch.__version__}, Python {platform.python_version()}.",
        "Where the time goes, what each design choice bought and what is left: "
        "`docs/training-speed.md`.",
        "",
    ]
    if epochs:
        lines += [
            "## One epoch of each head",
            "",
            "The default preset as `movierec train` sizes it for the data (members, and the "
            "epochs a whole run would have), random 80/20 split (the rating head holds 2% of "
            "the training part out for validation). An epoch's time is the rate of its first "
            f"{epochs_batches} batches (every batch where an epoch has fewer) times its batches, "
            "history refreshes included, evaluation not; µs per rating is one epoch of both "
            "heads over the training ratings. Peak memory: the measuring process's (data, both "
            "heads' networks and optimisers).",
            "",
            *epoch_table(epochs),
            "",
        ]
    if full:
        lines += [
            "## Whole runs",
            "",
            "`movierec train NAME` with the default preset as it is: every epoch up to early "
            "stopping, both heads, the final evaluation and the export.",
            "",
            *full_table(full),
            "",
        ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"written to {RESULTS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["ml-100k", "ml-1m", "ml-10m", "ml-32m"],
                        choices=list(SHAPES), help="one epoch of each head at these sizes")
    parser.add_argument("--full", nargs="*", default=["ml-1m"], choices=list(SHAPES),
                        help="whole default runs at these sizes")
    parser.add_argument("--threads", type=int, help="torch threads (default: train's own)")
    parser.add_argument("--batches", type=int, default=300,
                        help="batches of each head timed for an epoch's figures")
    parser.add_argument("--keep", type=Path, help="keep the data and runs in this folder")
    args = parser.parse_args()
    command = "benchmarks/train_speed.py " + " ".join(sys.argv[1:])
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        epochs, full = {}, {}
        for name in dict.fromkeys([*args.sizes, *args.full]):
            env = prepare(name, root / name)
            if name in args.sizes:
                epochs[name] = one_epoch(name, env, args.batches, args.threads)
                print(epoch_table({name: epochs[name]})[-1], flush=True)
            if name in args.full:
                full[name] = train(name, env, root / name / "full", args.threads)
                print(full_table({name: full[name]})[-1], flush=True)
    threads = args.threads or _train_threads()
    write(epochs, full, command, threads, args.batches)


def _train_threads() -> int:
    from movierec.training.run import default_threads

    return default_threads()


if __name__ == "__main__":
    main()
