"""Training on several workers against one, on synthetic data of ML-1M's size: ratings a second
of each head for 1 worker x 1 thread and 2 workers x 1 thread (`movierec train --nproc 2`),
and what the workers' gradient sums cost a step (bytes each worker sends, seconds).

    python benchmarks/train_scaling.py [--repeats 2] [--write]

Each configuration trains one epoch of the rating head (one member) and one of the ranking
head, `--repeats` times, alternating; the table gives medians. Run it alone on the machine: two
workers on two cores measure nothing beside another process. `--write` records the table in
benchmarks/results/train-scaling.md (docs/scaling.md builds its plan on these figures).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

RESULTS = Path(__file__).parent / "results" / "train-scaling.md"
SETTINGS = ["--set", "training.scale_with_data=false", "--set", "training.epochs=1",
            "--set", "ranking.epochs=1", "--set", "network.members=1",
            "--set", "new_users.enabled=false", "--threads", "1", "--device", "cpu", "--quiet"]
"""The default preset as it trains at ML-1M size (one member), one epoch of each head."""


def movierec(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "movierec", *arguments], env=env, check=True)


def one_run(nproc: int, scratch: Path, env: dict[str, str], repeat: int) -> dict[str, float]:
    out = scratch / f"run-{nproc}-{repeat}"
    movierec("train", "ml-1m", *SETTINGS, "--nproc", str(nproc), "--out", str(out), env=env)
    metrics = json.loads((out / "metrics.json").read_text())
    figures = {"rating": metrics["samples_per_second"],
               "ranking": metrics["ranking"]["samples_per_second"]}
    for head, document in (("rating", metrics), ("ranking", metrics["ranking"])):
        workers = document.get("workers", {})
        figures[f"{head}_bytes"] = workers.get("bytes_per_step", 0.0)
        figures[f"{head}_sync_ms"] = workers.get("seconds_per_step", 0.0) * 1000
        figures[f"{head}_epoch_s"] = document["seconds_per_epoch_median"]
    return figures


def measure(repeats: int, scratch: Path) -> dict[int, dict[str, float]]:
    env = os.environ | {"MOVIEREC_HOME": str(scratch / "home")}
    movierec("data", "synth", "--like", "ml-1m", "--out", str(scratch / "raw"), env=env)
    movierec("data", "fetch", "ml-1m", "--from", str(scratch / "raw"), env=env)
    movierec("data", "prepare", "ml-1m", env=env)
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for repeat in range(repeats):
        for nproc in (1, 2):
            runs[nproc].append(one_run(nproc, scratch, env, repeat))
            print(f"{nproc} worker(s), run {repeat + 1}: {runs[nproc][-1]}", flush=True)
    return {nproc: {key: statistics.median(run[key] for run in measured)
                    for key in measured[0]} for nproc, measured in runs.items()}


def markdown(medians: dict[int, dict[str, float]], command: str, repeats: int) -> str:
    one, two = medians[1], medians[2]
    lines = [
        "# Training on two workers against one: synthetic data of ML-1M's size",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `{command}` on "
        f"{platform.machine()} ({os.cpu_count()} cores), torch {torch.__version__}, gloo over "
        "the loopback. Medians of "
        f"{repeats} runs each; every run trains one epoch of the rating head (one member, as the "
        "default preset trains ML-1M) and one of the ranking head. Each worker trains a batch of "
        "the preset's size (1,024) a step; the gradients travel as bfloat16. What the figures "
        "mean and the plan past this machine: `docs/scaling.md`.",
        "",
        "| head | 1 x 1 thread: ratings/s | 2 x 1 thread: ratings/s | speed-up | epoch (1 / 2 "
        "workers) | bytes a worker sends a step | sum's time a step |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for head in ("rating", "ranking"):
        lines.append(
            f"| {head} | {one[head]:,.0f} | {two[head]:,.0f} | {two[head] / one[head]:.2f}x | "
            f"{one[f'{head}_epoch_s']:.1f} s / {two[f'{head}_epoch_s']:.1f} s | "
            f"{two[f'{head}_bytes'] / 1e6:.2f} MB | {two[f'{head}_sync_ms']:.1f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        medians = measure(args.repeats, Path(folder))
    text = markdown(medians, "python benchmarks/train_scaling.py "
                    + " ".join(sys.argv[1:]), args.repeats)
    print(text)
    if args.write:
        RESULTS.write_text(text)


if __name__ == "__main__":
    main()
