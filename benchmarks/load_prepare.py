"""Load + prepare wall time and peak memory on synthetic data of real release sizes.

    python benchmarks/load_prepare.py [--sizes ml-1m ml-25m ml-32m] [--runs 3]

Each measured run is a fresh process (so peak RSS is that run's own) that loads the release
files and writes the prepared features. Medians of `--runs` runs are printed and written to
benchmarks/results/load-prepare.md. Targets (issue 2): ML-32M within 8 GB and 3 minutes.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize

SHAPES = {
    "ml-1m": (6_040, 3_706, 1_000_209),
    "ml-10m": (69_878, 10_677, 10_000_054),
    "ml-20m": (138_493, 26_744, 20_000_263),
    "ml-25m": (162_541, 59_047, 25_000_095),
    "ml-32m": (200_948, 84_432, 32_000_204),
}
RESULTS = Path(__file__).parent / "results" / "load-prepare.md"

_CHILD = """
import sys, time
from pathlib import Path
from movierec.data.features import prepare, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
start = time.perf_counter()
dataset = load_folder(Path(sys.argv[1]), RELEASES[sys.argv[2]])
loaded = time.perf_counter()
save_features(prepare(dataset, source_checksum="benchmark"), Path(sys.argv[3]))
print(loaded - start, time.perf_counter() - loaded)
"""


def measure(folder: Path, name: str, out: Path) -> tuple[float, float, float]:
    """(load seconds, prepare+save seconds, peak RSS in MB) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-c", _CHILD, str(folder), name, str(out)],
                            check=True, capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    load_seconds, prepare_seconds = map(float, result.stdout.split())
    # ru_maxrss of children is the largest child so far: only meaningful when it grew.
    return load_seconds, prepare_seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["ml-1m", "ml-25m", "ml-32m"],
                        choices=list(SHAPES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        # Smallest first: a child's peak RSS is only readable while it is the largest so far.
        for name in sorted(args.sizes, key=lambda n: SHAPES[n][2]):
            users, movies, ratings = SHAPES[name]
            folder = Path(scratch) / name
            started = time.perf_counter()
            synthesize(RELEASES[name], folder, users=users, movies=movies, ratings=ratings)
            print(f"{name}: synthesised {ratings:,} ratings in {time.perf_counter() - started:.0f}"
                  " s", flush=True)
            runs = [measure(folder, name, Path(scratch) / f"{name}-prepared")
                    for _ in range(args.runs)]
            load = statistics.median(r[0] for r in runs)
            prep = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            rows.append((name, ratings, load, prep, peak))
            print(f"{name}: load {load:.1f} s, prepare+save {prep:.1f} s, total "
                  f"{load + prep:.1f} s, peak RSS {peak:,.0f} MB", flush=True)
    lines = [
        "# Load + prepare on synthetic data of release sizes",
        "",
        f"`python benchmarks/load_prepare.py --runs {args.runs}` on this machine "
        f"({time.strftime('%Y-%m-%d')}); medians of {args.runs} fresh processes; peak RSS is "
        "the largest of the runs. Target: ML-32M within 8 GB and 180 s.",
        "",
        "| shape | ratings | load (s) | prepare + save (s) | total (s) | peak RSS (MB) |",
        "|---|---|---|---|---|---|",
        *(f"| {n} | {r:,} | {lo:.1f} | {p:.1f} | {lo + p:.1f} | {m:,.0f} |"
          for n, r, lo, p, m in rows),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
