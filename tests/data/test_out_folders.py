"""`--out` of `data synth` and `data prepare`: each replaces its own earlier output whole, and
refuses any other non-empty folder unless --force."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from movierec.cli.main import cli
from movierec.data.features import load_features
from movierec.data.fetch import fetch_release
from movierec.data.releases import RELEASES
from movierec.data.synth import MARKER, synthesize

SIZES = ["--users", "30", "--movies", "60", "--ratings", "900"]


def synth(out: Path | str, *extra: str):
    return CliRunner().invoke(cli, ["data", "synth", "--like", "ml-1m", *SIZES, "--out",
                                    str(out), *extra])


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A folder of someone's own files."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    return folder


def test_synth_refuses_a_foreign_folder_by_name(foreign: Path) -> None:
    result = synth(foreign)
    assert result.exit_code == 2
    assert f"{foreign} holds other files and is not an earlier output" in result.output
    assert "--force" in result.output and "Traceback" not in result.output
    assert [item.name for item in foreign.iterdir()] == ["thesis.tex"]


def test_synth_replaces_its_own_output_and_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "release"
    out.mkdir()
    assert synth(out).exit_code == 0
    assert (out / MARKER).is_file() and (out / "ratings.dat").is_file()
    (out / "stale.txt").write_text("left by hand")
    result = synth(out, "--seed", "1")
    assert result.exit_code == 0, result.output
    assert not (out / "stale.txt").exists()


def test_synth_with_force_replaces_a_foreign_folder(foreign: Path) -> None:
    result = synth(foreign, "--force")
    assert result.exit_code == 0, result.output
    assert not (foreign / "thesis.tex").exists() and (foreign / MARKER).is_file()


def test_synth_refuses_the_current_folder_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = synth(".", "--force")
    assert result.exit_code == 2 and "is the current folder" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def fetched(tmp_path: Path) -> str:
    synthesize(RELEASES["ml-100k"], tmp_path / "raw", users=30, movies=60, ratings=900)
    fetch_release("ml-100k", str(tmp_path / "raw"), progress=False)
    return "ml-100k"


def prepare(name: str, *extra: str):
    return CliRunner().invoke(cli, ["data", "prepare", name, *extra])


def test_prepare_refuses_a_foreign_folder_and_keeps_it(fetched: str, foreign: Path) -> None:
    result = prepare(fetched, "--out", str(foreign))
    assert result.exit_code == 2
    assert f"{foreign} holds other files and is not an earlier output of `movierec data " \
           "prepare`" in result.output
    assert [item.name for item in foreign.iterdir()] == ["thesis.tex"]


def test_prepare_replaces_its_own_output(fetched: str, tmp_path: Path) -> None:
    out = tmp_path / "prepared"
    assert prepare(fetched, "--out", str(out)).exit_code == 0
    result = prepare(fetched, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert load_features(out).name == fetched


def test_prepare_with_force_replaces_a_foreign_folder(fetched: str, foreign: Path) -> None:
    result = prepare(fetched, "--out", str(foreign), "--force")
    assert result.exit_code == 0, result.output
    assert not (foreign / "thesis.tex").exists()
    assert load_features(foreign).name == fetched
