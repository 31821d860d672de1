"""Model quality on ML-100K: the seed and default presets beside the baselines.

    python benchmarks/quality.py [--presets seed default] [--data ../shared/data/ml-100k.zip]
                                 [--sweep 0 0.25 0.5 1] [--keep DIR]

Rating error on the random 90/10 split (seed 42), top-10 on the per-user temporal 80/20 split,
both as in docs PROTOCOLS.md. Every step is the real command line (`movierec data fetch`,
`data prepare`, `data split`, `train --split-files`, `evaluate --split-files --json`) run in a
throwaway MOVIEREC_HOME; the baselines are fitted and evaluated by `evaluate` on the same split.

New users: the default preset trained with `--split user-holdout` (split seeds 42 and 7), each
held-out user known by their first 1, 2, 3, 5 and 10 ratings, beside popularity, item-kNN, EASE
and the popularity of liked ratings (`movierec evaluate --protocol user-holdout`, PROTOCOLS.md's
"user holdout").

The sweep trains the default preset's ranking head with other popularity corrections (lambda)
on the temporal split, to show what each buys in accuracy, coverage and the popularity of what
is recommended; the plot puts every model and baseline on those three axes.
Writes benchmarks/results/quality-ml100k.md, quality-ml100k-tradeoff.png and
quality-ml100k-new-users.png. Takes about 30 minutes on a 2-core CPU.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from movierec.evaluation.report_markdown import table
from movierec.run_log import read_history
from movierec.training.config import get_preset

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ml-100k.zip"
RESULTS = Path(__file__).parent / "results" / "quality-ml100k.md"
PLOT = RESULTS.with_name("quality-ml100k-tradeoff.png")
NEW_USER_PLOT = RESULTS.with_name("quality-ml100k-new-users.png")
HOLDOUT_SEEDS = (42, 7)
"""User-holdout split seeds: 42 is PROTOCOLS.md's; with 188 held-out users a second one says
which differences are noise."""
MEASURED = RESULTS.with_suffix(".json")
"""Every figure of the last run, so that `--render` can redo the page and plot without
training."""
SWEEP_RATING = ["--set", "network.members=1", "--set", "training.epochs=1",
                "--set", "training.patience=0", "--set", "training.validation_fraction=0"]
"""The sweep's runs only differ in the ranking head, which ranks on its own: their rating head
is cut to one epoch of one member, and their RMSE is not reported."""
SPLITS = {
    "random": ["--protocol", "random", "--test-fraction", "0.1", "--seed", "42"],
    "temporal": ["--protocol", "temporal", "--test-fraction", "0.2"],
}
# Commands are run from their modules, so the benchmark works whether or not the lead has wired
# them into the `movierec` group yet.
_COMMANDS = {
    "data": "from movierec.cli.main import cli; cli()",
    "train": "from movierec.cli.train import train; train()",
    "evaluate": "from movierec.cli.evaluate import evaluate; evaluate()",
}
_RANKING = (("precision", "P@10"), ("recall", "R@10"), ("ndcg", "NDCG@10"), ("map", "MAP@10"),
            ("hit_rate", "HR@10"), ("coverage", "coverage"), ("mean_popularity", "mean pop."))


def run(command: str, *arguments: str, env: dict[str, str]) -> float:
    """Run one movierec command; its wall time in seconds. Stops the benchmark if it fails."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _COMMANDS[command], *arguments], env=env,
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"`movierec {command} {shlex.join(arguments)}` failed:\n{result.stderr}")
    return time.perf_counter() - started


def evaluate(run_dir: Path, split_dir: Path, baselines: bool, env: dict[str, str]
             ) -> dict[str, Any]:
    arguments = ["--model", str(run_dir), "--split-files", str(split_dir / "train.csv"),
                 str(split_dir / "test.csv"), "--k", "10", "--json"]
    if not baselines:
        arguments.append("--no-baselines")
    result = subprocess.run([sys.executable, "-c", _COMMANDS["evaluate"], *arguments], env=env,
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"evaluating {run_dir} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def epochs_of(run_dir: Path, document: dict[str, Any]) -> str:
    """Epochs trained, from the artifact's metrics document, else the lines of metrics.jsonl."""
    training = document["model"].get("training") or {}
    if "epochs_run" in training:
        if training.get("stopped_early"):
            return f"{training['epochs_run']} (early stop, kept {training.get('epoch')})"
        return str(training["epochs_run"])
    history = read_history(run_dir)
    return str(len(history)) if history else "–"


def train_time(command_seconds: float, document: dict[str, Any]) -> str:
    """The epochs' own time as training measured it, and the whole train command's."""
    epochs_seconds = (document["model"].get("training") or {}).get("seconds_total")
    whole = f"{command_seconds:.0f} s whole command"
    return f"{epochs_seconds:.0f} s ({whole})" if epochs_seconds is not None else whole


def measure(presets: list[str], sweep: list[float], data: Path, scratch: Path
            ) -> dict[str, Any]:
    env = os.environ | {"MOVIEREC_HOME": str(scratch / "home")}
    run("data", "data", "fetch", "ml-100k", "--from", str(data), env=env)
    run("data", "data", "prepare", "ml-100k", env=env)
    measured: dict[str, Any] = {}
    for split, protocol in SPLITS.items():
        split_dir = scratch / "splits" / split
        run("data", "data", "split", "ml-100k", *protocol, "--out", str(split_dir), env=env)
        for position, preset in enumerate(presets):
            run_dir = scratch / "runs" / f"{preset}-{split}"
            print(f"training {preset} on the {split} split ...", flush=True)
            seconds = run("train", "ml-100k", "--preset", preset, "--split-files",
                          str(split_dir / "train.csv"), str(split_dir / "test.csv"),
                          "--out", str(run_dir), "--quiet", env=env)
            # The baselines do not depend on the preset: evaluated once per split.
            document = evaluate(run_dir, split_dir, baselines=position == 0, env=env)
            measured.setdefault(split, {})[preset] = {
                "document": document, "seconds": seconds, "epochs": epochs_of(run_dir, document),
            }
            model = document["results"]["model"]
            print(f"  {preset}/{split}: RMSE {model['rmse']:.4f}, NDCG@10 {model['ndcg']:.4f},"
                  f" trained in {seconds:.0f} s", flush=True)
    split_dir = scratch / "splits" / "temporal"
    if "default" in presets:
        measured["new_users"] = {
            str(seed): new_user_curve(seed, scratch / "runs" / f"default-holdout-{seed}", env)
            for seed in HOLDOUT_SEEDS}
    for strength in sweep:
        run_dir = scratch / "runs" / f"sweep-{strength}"
        print(f"training the ranking head with popularity correction {strength} ...", flush=True)
        seconds = run("train", "ml-100k", "--preset", "default", *SWEEP_RATING,
                      "--set", f"ranking.popularity_correction={strength}", "--split-files",
                      str(split_dir / "train.csv"), str(split_dir / "test.csv"),
                      "--out", str(run_dir), "--quiet", env=env)
        document = evaluate(run_dir, split_dir, baselines=False, env=env)
        measured.setdefault("sweep", {})[strength] = document["results"]["model"]
        print(f"  lambda {strength}: NDCG@10 {document['results']['model']['ndcg']:.4f}, "
              f"coverage {document['results']['model']['coverage']:.3f}", flush=True)
    return measured


def new_user_curve(seed: int, run_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    """The default preset trained on a user-holdout split, its held-out users played as new
    users beside the baselines: `movierec evaluate --protocol user-holdout`'s section."""
    print(f"training default on the user-holdout split, seed {seed} ...", flush=True)
    seconds = run("train", "ml-100k", "--split", "user-holdout", "--split-seed", str(seed),
                  "--out", str(run_dir), "--quiet", env=env)
    output = subprocess.run(
        [sys.executable, "-c", _COMMANDS["evaluate"], "--model", str(run_dir), "--protocol",
         "user-holdout", "--json", "--no-report"],
        env=env, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    section = json.loads(output)["new_users"]
    means = ", ".join(f"{name} {value:.4f}" for name, value in section["mean_ndcg"].items())
    print(f"  seed {seed}: mean NDCG@10 over k: {means} (trained in {seconds:.0f} s)",
          flush=True)
    return section


def rating_rows(runs: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = [(preset, f"{r['document']['results']['model']['rmse']:.4f}",
             f"{r['document']['results']['model']['mae']:.4f}", r["epochs"],
             train_time(r["seconds"], r["document"])) for preset, r in runs.items()]
    baselines = next(iter(runs.values()))["document"]["results"]
    rows += [(name, f"{m['rmse']:.4f}", f"{m['mae']:.4f}", "–", f"{m['fit_seconds']:.1f} s (fit)")
             for name, m in baselines.items() if name != "model" and m.get("rmse") is not None]
    return rows


def ranking_rows(runs: dict[str, Any]) -> list[tuple[str, ...]]:
    results = {preset: r["document"]["results"]["model"] for preset, r in runs.items()}
    baselines = next(iter(runs.values()))["document"]["results"]
    results |= {name: m for name, m in baselines.items() if name != "model"}
    return [(name, *(_cell(metrics[key]) for key, _ in _RANKING))
            for name, metrics in results.items()]


def sweep_rows(sweep: dict[float, dict[str, float]]) -> list[tuple[str, ...]]:
    return [(f"lambda = {strength:g}", *(_cell(metrics[key]) for key, _ in _RANKING))
            for strength, metrics in sweep.items()]


def plot_tradeoff(measured: dict[str, Any], path: Path) -> None:
    """NDCG@10 against coverage@10 for every model and baseline on the temporal split, each
    point coloured by the mean popularity of what it recommends; the sweep as a line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    runs = measured["temporal"]
    points = {preset: r["document"]["results"]["model"] for preset, r in runs.items()}
    baselines = next(iter(runs.values()))["document"]["results"]
    points |= {name: m for name, m in baselines.items() if name != "model"}
    figure, axis = pyplot.subplots(figsize=(8, 5.5), constrained_layout=True)
    everything = list(points.values()) + list(measured.get("sweep", {}).values())
    scale = dict(vmin=min(m["mean_popularity"] for m in everything),
                 vmax=max(m["mean_popularity"] for m in everything), cmap="viridis_r")
    sweep = measured.get("sweep", {})
    if sweep:
        coverage = [m["coverage"] for m in sweep.values()]
        ndcg = [m["ndcg"] for m in sweep.values()]
        axis.plot(coverage, ndcg, color="grey", linewidth=1, zorder=1)
        axis.scatter(coverage, ndcg, c=[m["mean_popularity"] for m in sweep.values()],
                     marker="s", s=40, zorder=2, **scale)
        for strength, metrics in sweep.items():
            axis.annotate(f"λ={strength:g}", (metrics["coverage"], metrics["ndcg"]),
                          textcoords="offset points", xytext=(5, -10), fontsize=8)
    shown = axis.scatter([m["coverage"] for m in points.values()],
                         [m["ndcg"] for m in points.values()],
                         c=[m["mean_popularity"] for m in points.values()], s=70,
                         edgecolors="black", zorder=3, **scale)
    for name, metrics in points.items():
        label = name
        if name == "default" and sweep:
            label = f"default (λ={get_preset('default').ranking.popularity_correction:g})"
        axis.annotate(label, (metrics["coverage"], metrics["ndcg"]), textcoords="offset points",
                      xytext=(6, 4 if name != "item_knn_cosine" else -12), fontsize=9)
    figure.colorbar(shown, label="mean training ratings of a recommended movie")
    axis.set_xlabel("coverage@10 (share of the catalogue in anyone's top 10)")
    axis.set_ylabel("NDCG@10 (relevant = test rating >= 4)")
    axis.set_title("ML-100K, per-user temporal 80/20: accuracy, coverage, popularity")
    axis.grid(alpha=0.3)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def _cell(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.4f}"


def markdown(measured: dict[str, Any], command: str, load: float) -> str:
    random_runs, temporal_runs = measured["random"], measured["temporal"]
    first = next(iter(temporal_runs.values()))["document"]
    evaluated = first["results"]["model"]
    rankers = "; ".join(f"{preset}: {r['document']['model']['ranking']}"
                        for preset, r in temporal_runs.items())
    temporal_times = ", ".join(
        f"{preset} {train_time(r['seconds'], r['document'])}, {r['epochs']} epochs"
        for preset, r in temporal_runs.items())
    return "\n".join([
        "# Model quality on ML-100K",
        "",
        f"Made {datetime.now(UTC):%Y-%m-%d} with `{command}` (movierec "
        f"{first['code_version']}, {os.cpu_count()} CPUs, load average {load:.1f} from other "
        "jobs at the start: wall times on a shared machine vary with them). Every figure comes "
        "from "
        "`movierec evaluate --split-files ... --json`; the baselines were fitted in the same "
        "run on the same split. Train wall time: the epochs as training timed them, then the "
        "whole `movierec train` command (loading data, exporting the artifact).",
        "",
        f"## Rating error: random 90/10, seed 42 ({_sizes(random_runs)})",
        "",
        "Predictions clipped to [1, 5]; lower is better.",
        "",
        table(("model", "RMSE", "MAE", "epochs", "train wall time"), rating_rows(random_runs)),
        "",
        f"## Top-10: per-user temporal 80/20 ({_sizes(temporal_runs)})",
        "",
        "Candidates: every movie the user did not rate in train; relevant = test rating >= 4; "
        f"averaged over {evaluated['users_evaluated']:.0f} users with a relevant test movie "
        f"({evaluated['users_skipped']:.0f} skipped). Ranked by {rankers}. Training on this "
        f"split took {temporal_times}.",
        "",
        table(("model", *(title for _, title in _RANKING)), ranking_rows(temporal_runs)),
        "",
        *_new_user_section(measured.get("new_users")),
        *_sweep_section(measured),
    ])


def _sizes(runs: dict[str, Any]) -> str:
    """"89,724 train / 9,969 test ratings", as the split's evaluation counted them."""
    split = next(iter(runs.values()))["document"]["split"]
    return f"{split['train_ratings']:,} train / {split['test_ratings']:,} test ratings"


def _new_user_section(new_users: dict[str, dict[str, Any]] | None) -> list[str]:
    if not new_users:
        return []
    lines = [
        "## New users: user holdout, first k ratings",
        "",
        "The default preset trained with `--split user-holdout`: a fifth of the users (188) never "
        "seen in training, each then known by their first k ratings and scored on the second "
        "half of their ratings (relevant = 4 stars or more); the baselines fitted on the same "
        "training part score the same profiles (PROTOCOLS.md; liked_popularity, the number of "
        "4+ star ratings, is not in its set, and is the strongest list for everyone). Every "
        "figure is from "
        "`movierec evaluate --protocol user-holdout --json`; the model's lists are the "
        "engine's own `for_new_user`. NDCG@10 (R@10) by k, then the mean NDCG@10 over the k "
        "and coverage@10 at k = 1.",
        "",
    ]
    for seed, section in new_users.items():
        sizes = [str(size) for size in section["profile_sizes"]]
        rows = [(name, *(f"{by_size[k]['ndcg']:.4f} ({by_size[k]['recall']:.4f})"
                         for k in sizes),
                 f"{section['mean_ndcg'][name]:.4f}", f"{by_size[sizes[0]]['coverage']:.3f}")
                for name, by_size in section["results"].items()]
        header = (f"split seed {seed}", *(f"k={k}" for k in sizes), "mean NDCG",
                  "coverage k=1")
        lines += [table(header, rows), ""]
        best = max(value for name, value in section["mean_ndcg"].items() if name != "model")
        model = section["mean_ndcg"]["model"]
        lines += [f"Split seed {seed}: the model's mean NDCG@10 is {model:.4f}, "
                  f"{model / best - 1:+.1%} against the best baseline's {best:.4f}.", ""]
    return [*lines, f"![NDCG@10 by number of first ratings]({NEW_USER_PLOT.name})", ""]


def plot_new_users(new_users: dict[str, dict[str, Any]], path: Path) -> None:
    """NDCG@10 against the number of first ratings k, a line per method, a panel per split
    seed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(1, len(new_users), figsize=(5.5 * len(new_users), 4.2),
                                   constrained_layout=True, squeeze=False)
    for axis, (seed, section) in zip(axes[0], new_users.items(), strict=True):
        sizes = section["profile_sizes"]
        for name, by_size in section["results"].items():
            axis.plot(sizes, [by_size[str(k)]["ndcg"] for k in sizes], marker="o",
                      linewidth=2.5 if name == "model" else 1.2,
                      label="movierec (for_new_user)" if name == "model" else name)
        axis.set_xticks(sizes)
        axis.set_xlabel("first ratings known (k)")
        axis.set_ylabel("NDCG@10")
        axis.set_title(f"ML-100K user holdout, split seed {seed}")
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def _sweep_section(measured: dict[str, Any]) -> list[str]:
    sweep = measured.get("sweep", {})
    if not sweep:
        return []
    low, high = min(sweep), max(sweep)
    ends = sweep[low], sweep[high]
    runs = measured["temporal"]
    baselines = next(iter(runs.values()))["document"]["results"]
    models = {preset: r["document"]["results"]["model"] for preset, r in runs.items()}
    ease, knn = baselines.get("ease"), baselines.get("item_knn_cosine")
    lines = [
        "## The trade-off: popularity correction of the ranking head",
        "",
        "The default preset's ranking head trained on the same temporal split with other "
        "popularity corrections (`--set ranking.popularity_correction=LAMBDA`; lambda * "
        "log(popularity) is added to the training logits, so the learnt scores leave that much "
        "popularity out). These runs cut their rating head to one epoch of one member, which "
        "does not touch the ranking. Mean pop. is the average number of training ratings of "
        "a recommended movie.",
        "",
        table(("ranking head", *(title for _, title in _RANKING)), sweep_rows(sweep)),
        "",
        f"From lambda = {low:g} to {high:g}, coverage went from {ends[0]['coverage']:.2f} to "
        f"{ends[1]['coverage']:.2f} and the mean popularity of what is recommended from "
        f"{ends[0]['mean_popularity']:.0f} to {ends[1]['mean_popularity']:.0f} ratings, while "
        f"NDCG@10 went from {ends[0]['ndcg']:.4f} to {ends[1]['ndcg']:.4f}: accuracy traded "
        "for reach, slowly at first and fast once the popular movies people do watch next are "
        "pushed out.",
    ]
    if "seed" in models:
        seed = models["seed"]
        lines += ["", f"Ranking by predicted rating (the seed preset) is a different failure: "
                  f"it recommends obscure films (mean popularity {seed['mean_popularity']:.0f}) "
                  f"that few go on to rate, NDCG@10 {seed['ndcg']:.4f}."]
    if ease and knn:
        lines += ["", f"EASE and item-kNN rank well (NDCG@10 {ease['ndcg']:.4f} and "
                  f"{knn['ndcg']:.4f}) but lean on popular movies (mean popularity "
                  f"{ease['mean_popularity']:.0f} and {knn['mean_popularity']:.0f}) and reach "
                  f"less of the catalogue (coverage {ease['coverage']:.2f} and "
                  f"{knn['coverage']:.2f})."]
    return [*lines, "", "The plot shows every model on the three axes at once:", "",
            f"![NDCG@10 against coverage@10, coloured by mean popularity]({PLOT.name})", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", default=["seed", "default"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sweep", nargs="*", type=float, default=[0.0, 0.25, 0.5, 1.0],
                        help="Popularity corrections to train the ranking head with (none: "
                        "no sweep).")
    parser.add_argument("--keep", type=Path,
                        help="Keep the runs (with their reports) and splits in this folder.")
    parser.add_argument("--render", action="store_true",
                        help=f"Only redo the page and plot from {MEASURED.name}.")
    args = parser.parse_args()
    if args.render:
        saved = json.loads(MEASURED.read_text())
        measured = {**saved["measured"],
                    "sweep": {float(k): v for k, v in saved["measured"].get("sweep", {}).items()}}
        RESULTS.write_text(markdown(measured, saved["command"], saved["load"]))
        plot_tradeoff(measured, PLOT)
        if measured.get("new_users"):
            plot_new_users(measured["new_users"], NEW_USER_PLOT)
        print(f"wrote {RESULTS} and {PLOT} from {MEASURED}")
        return
    if not args.data.is_file():
        print(f"{args.data} is absent: nothing to benchmark. Put ml-100k.zip there (or pass "
              "--data PATH) and run again.")
        return
    command = shlex.join(["python", "benchmarks/quality.py", *sys.argv[1:]])
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="movierec-quality-") as scratch:
        folder = args.keep or Path(scratch)
        measured = measure(args.presets, args.sweep, args.data.resolve(), folder.resolve())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    MEASURED.write_text(json.dumps({"command": command, "load": load, "measured": measured},
                                   indent=1))
    RESULTS.write_text(markdown(measured, command, load))
    plot_tradeoff(measured, PLOT)
    if measured.get("new_users"):
        plot_new_users(measured["new_users"], NEW_USER_PLOT)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
