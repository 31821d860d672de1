"""The report written into a run folder, and `movierec report` printing it."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from synthetic_artifacts import movie_records, write_model

from movierec.artifacts import read_artifact
from movierec.cli.evaluate import evaluate
from movierec.cli.report import report
from movierec.evaluation import EvaluationSettings, evaluate_model, write_report
from movierec.evaluation import report as report_module
from movierec.evaluation.report_markdown import curve_family
from movierec.run_log import read_history

USERS, MOVIES, DIM = 12, 10, 3


def build_run(destination: Path) -> Path:
    """A small random model with a train and test part, and the per-epoch history training
    writes beside it."""
    rng = np.random.default_rng(5)
    seen, triples = [], []
    for user in range(USERS):
        movies = rng.permutation(MOVIES)[: 4 + user % 4]
        ratings = rng.integers(1, 6, movies.size).astype(float)
        seen.append(dict(zip(movies[:-2].tolist(), ratings[:-2].tolist(), strict=True)))
        triples += [(user, movie, rating) for movie, rating in zip(movies[-2:], ratings[-2:],
                                                                    strict=True)]
    movie_ids = np.arange(1, MOVIES + 1) * 2
    path = write_model(
        destination, user_ids=np.arange(1, USERS + 1),
        movies=movie_records(movie_ids, [f"Movie {m}" for m in range(MOVIES)]),
        user_vectors=rng.normal(0, 0.5, (USERS, DIM)),
        movie_vectors=rng.normal(0, 0.5, (MOVIES, DIM)), seen=seen, global_bias=3.5,
        arrays={"test_triples": np.array(triples, dtype=np.float64)},
        documents={"config": {"preset": "tiny"},
                   "split": {"name": "random", "test_fraction": 0.2, "seed": 0},
                   "metrics": {"epochs": 4, "test": {"rmse": 1.1}}},
    )
    write_history(path, epochs=4)
    return path


def write_history(run: Path, epochs: int) -> None:
    lines = [json.dumps({"epoch": epoch, "train_loss": 1.5 / epoch, "train_rmse": 1.2 / epoch,
                         "validation_rmse": 1.3 - 0.01 * epoch, "seconds": 0.5})
             for epoch in range(1, epochs + 1)]
    (run / "metrics.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_run(tmp_path_factory.mktemp("report") / "run")
    write_report(path, evaluate_model(path, settings=EvaluationSettings(k=3)))
    return path


def test_report_files_are_written(run: Path) -> None:
    folder = run / "report"
    names = {path.name for path in folder.iterdir()}
    assert names == {"report.md", "report.json", "loss_curves.png", "rating_error.png",
                     "top_k.png", "error_by_activity.png"}
    for png in folder.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    markdown = (folder / "report.md").read_text()
    for heading in ("## Rating error", "## Top-3", "## Rating error by user activity",
                    "## Training", "![top k](top_k.png)", "| ease |", "validation_rmse"):
        assert heading in markdown
    document = json.loads((folder / "report.json").read_text())
    assert document["results"]["model"]["k"] == 3
    assert not list(run.glob(".report*")), "the staging folder was left behind"


def test_the_report_folder_does_not_break_the_artifact(run: Path) -> None:
    artifact = read_artifact(run)  # verifies every file the manifest lists
    assert "report/report.json" not in artifact.manifest["files"]
    assert artifact.array("user_ids").size == USERS


def test_movierec_report_prints_the_markdown(run: Path) -> None:
    result = CliRunner().invoke(report, [str(run)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (run / "report" / "report.md").read_text()


def test_a_missing_markdown_is_rendered_again(run: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(run, tmp_path / "run"))
    (copy / "report" / "report.md").unlink()
    (copy / "report" / "loss_curves.png").unlink()
    result = CliRunner().invoke(report, [str(copy)])
    assert result.exit_code == 0, result.output
    assert "## Top-3" in result.stdout
    assert (copy / "report" / "report.md").read_text() == result.stdout
    assert (copy / "report" / "loss_curves.png").is_file()


def test_render_picks_up_a_longer_history(run: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(run, tmp_path / "run"))
    write_history(copy, epochs=6)
    assert "| 6 |" not in CliRunner().invoke(report, [str(copy)]).stdout
    assert "| 6 |" in CliRunner().invoke(report, [str(copy), "--render"]).stdout


def test_without_matplotlib_the_report_has_no_figures(
    run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "matplotlib_available", lambda: False)
    copy = Path(shutil.copytree(run, tmp_path / "run"))
    markdown = report_module.report_text(copy, render=True)
    assert "No figures" in markdown and "![" not in markdown
    assert not list((copy / "report").glob("*.png"))


def test_without_history_there_are_no_loss_curves(tmp_path: Path) -> None:
    path = build_run(tmp_path / "run")
    (path / "metrics.jsonl").unlink()
    settings = EvaluationSettings(k=3, baselines=False)
    written = write_report(path, evaluate_model(path, settings=settings))
    assert not (path / "report" / "loss_curves.png").exists()
    assert "Final training metrics" in written.read_text()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("absent", "no such run folder"),
        ("no report", "no report yet; make one with `movierec evaluate --model"),
        ("bad json", "report.json: unreadable"),
    ],
)
def test_report_errors_are_one_clear_line(tmp_path: Path, setup: str, message: str) -> None:
    folder = tmp_path / "run"
    if setup != "absent":
        folder.mkdir()
    if setup == "bad json":
        (folder / "report").mkdir()
        (folder / "report" / "report.json").write_text("{not json")
    result = CliRunner().invoke(report, [str(folder)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_history_skips_broken_lines_and_keeps_numbers(tmp_path: Path) -> None:
    (tmp_path / "metrics.jsonl").write_text(
        '{"epoch": 1, "train_loss": 0.5, "test_rmse": null, "note": "x"}\n{"epoch": 2, "tra\n'
        '[1, 2]\n{"train_loss": 0.4}\n'
    )
    assert read_history(tmp_path) == [{"epoch": 1.0, "train_loss": 0.5}]
    assert read_history(tmp_path / "nowhere") == []
    assert [curve_family(n) for n in ("val_rmse", "train/loss", "test_mse", "hit_rate")] == [
        "rmse", "loss", "mse", None]


def test_evaluate_writes_the_report_by_default(tmp_path: Path) -> None:
    path = build_run(tmp_path / "run")
    result = CliRunner().invoke(evaluate, ["--model", str(path), "--no-baselines", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"]["model"]["k"] == 10
    assert f"report written to {path / 'report' / 'report.md'}" in result.stderr
    assert json.loads((path / "report" / "report.json").read_text()) == json.loads(result.stdout)
    read_artifact(path)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty $MOVIEREC_HOME, entered as the working folder so no name there is a folder."""
    monkeypatch.setenv("MOVIEREC_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def test_movierec_report_finds_a_run_by_name_or_its_start(run: Path, home: Path) -> None:
    runs = home / "runs"
    runs.mkdir(parents=True)
    shutil.copytree(run, runs / "ml-1m-default-20261130-101500")
    (runs / "ml-100k-seed-20261129-090000").mkdir()
    expected = (run / "report" / "report.md").read_text()
    for name in ("ml-1m-default-20261130-101500", "ml-1m"):
        result = CliRunner().invoke(report, [name])
        assert result.exit_code == 0, result.output
        assert result.stdout == expected


@pytest.mark.parametrize(
    ("runs", "given", "message"),
    [
        ([], "nothing", "error: nothing: no such folder, and no runs in {runs} yet; give a run "
         "folder, or train one with `movierec train DATASET`\n"),
        (["b-run", "a-run"], "c-run", "error: c-run: no such folder or run; the runs in {runs} "
         "are: b-run, a-run\n"),
        (["ml-1m-b", "ml-1m-a", "ml-100k-c"], "ml-1m", "error: 'ml-1m' begins several runs in "
         "{runs}: ml-1m-b, ml-1m-a; give more of the name\n"),
        ([f"r{when:02}" for when in range(12)], "x", "error: x: no such folder or run; the runs "
         "in {runs} are: r00, r01, r02, r03, r04, r05, r06, r07, r08, r09 and 2 more\n"),
    ],
)
def test_a_run_name_that_names_no_one_run_says_what_there_is(
    home: Path, runs: list[str], given: str, message: str
) -> None:
    for when, name in enumerate(runs):  # the first the newest
        (home / "runs" / name).mkdir(parents=True)
        os.utime(home / "runs" / name, (1_000_000 - when, 1_000_000 - when))
    result = CliRunner().invoke(report, [given])
    assert result.exit_code == 2
    assert result.stderr == message.format(runs=home / "runs")
