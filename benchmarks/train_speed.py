"""Training speed of the seed preset on synthetic ML-1M-size data (6,040 users, 3,706 movies,
1,000,209 ratings): seconds per epoch and ratings per second, median of several epochs.

    .venv/bin/python benchmarks/train_speed.py [--threads 1 2] [--epochs 3] [--baseline]

Prints a Markdown table and writes it to benchmarks/results/train-speed.md. `--baseline` also
times a plain PyTorch loop (DataLoader over a TensorDataset, per-batch input gathering, the
same network) for one epoch, the reference the optimised loop is measured against.
Not a test: run it on a quiet machine.
"""

import argparse
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import torch

from movierec.data.features import prepare
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.splits import random_split
from movierec.data.synth import synthesize
from movierec.model.network import TwoTowerNetwork
from movierec.training.config import get_preset
from movierec.training.data import build_training_data
from movierec.training.trainer import RatingTrainer

RESULTS = Path(__file__).parent / "results" / "train-speed.md"
SIZE = {"users": 6040, "movies": 3706, "ratings": 1_000_209}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per thread count")
    parser.add_argument("--baseline", action="store_true", help="also time a plain loop")
    args = parser.parse_args()

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "ml-1m"
        synthesize(RELEASES["ml-1m"], raw, seed=0, **SIZE)
        features = prepare(load_folder(raw, RELEASES["ml-1m"]), source_checksum="synthetic")
    print(f"synthetic ML-1M-size data ready in {time.perf_counter() - started:.0f}s")
    preset = get_preset("seed")
    data = build_training_data(features, random_split(features.ratings, 0.2, 0),
                               title_tokens="seed", validation_fraction=0.0, seed=0)
    rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        epochs = _time_epochs(preset, data, args.epochs)
        rows.append(("optimised loop", threads, epochs, len(data.train)))
        print(_row(*rows[-1]))
        if args.baseline:
            rows.append(("plain PyTorch loop", threads, [_time_plain_epoch(preset, data)],
                         len(data.train)))
            print(_row(*rows[-1]))
    _write(rows, args, len(data.train))


def _time_epochs(preset, data, epochs: int) -> list[float]:
    torch.manual_seed(0)
    network = TwoTowerNetwork(preset.network, data.tables)
    trainer = RatingTrainer(network, data, preset.training, seed=0)
    seconds = []
    for _ in range(epochs):
        started = time.perf_counter()
        trainer.train_epoch()
        seconds.append(time.perf_counter() - started)
    return seconds


def _time_plain_epoch(preset, data) -> float:
    """What the first version did: a DataLoader, per-parameter Adam, the same network."""
    torch.manual_seed(0)
    network = TwoTowerNetwork(preset.network, data.tables).train()
    optimizer = torch.optim.Adam(network.parameters(), lr=preset.training.learning_rate,
                                 foreach=False)
    dataset = torch.utils.data.TensorDataset(data.train.users, data.train.movies,
                                             data.train.ratings)
    loader = torch.utils.data.DataLoader(dataset, batch_size=preset.training.batch_size,
                                         shuffle=True)
    started = time.perf_counter()
    for users, movies, ratings in loader:
        loss = torch.nn.functional.mse_loss(network(users, movies), ratings)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - started


def _row(loop: str, threads: int, seconds: list[float], ratings: int) -> str:
    median = statistics.median(seconds)
    runs = ", ".join(f"{value:.1f}" for value in seconds)
    return (f"| {loop} | {threads} | {median:.1f} | {ratings / median:,.0f} | {runs} |")


def _write(rows, args, ratings: int) -> None:
    lines = [
        "# Training speed: seed preset, synthetic ML-1M-size data",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `benchmarks/train_speed.py "
        f"--threads {' '.join(map(str, args.threads))} --epochs {args.epochs}"
        f"{' --baseline' if args.baseline else ''}`",
        f"on {platform.processor() or platform.machine()} ({_cores()} cores), torch "
        f"{torch.__version__}, Python {platform.python_version()}.",
        "",
        f"One epoch = {ratings:,} training ratings (80% of 1,000,209), batch 256, Adam 1e-4, "
        "dropout on; evaluation and checkpointing are not included.",
        "",
        "| loop | threads | epoch seconds (median) | ratings per second | each epoch (s) |",
        "|---|---|---|---|---|",
        *(_row(*row) for row in rows),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"written to {RESULTS}")


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
