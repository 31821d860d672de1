"""`movierec publish`: checks the model, refuses a broken one, repoints `current` atomically."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from movierec.cli.publish import publish

from .artifacts import make_artifact


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return make_artifact(tmp_path / "runs" / "first")


def invoke(*args: str):
    return CliRunner().invoke(publish, [str(arg) for arg in args])


def test_publish_links_current_to_the_model(run, tmp_path, movierec_home):
    result = invoke(run)
    assert result.exit_code == 0, result.output
    link = movierec_home / "models" / "current"
    assert link.is_symlink() and Path(os.readlink(link)) == run
    assert "50 movies, 40 users" in result.output


def test_publish_finds_the_model_inside_a_run_folder(tmp_path):
    model = make_artifact(tmp_path / "runs" / "second" / "model")
    link = tmp_path / "site" / "current"
    result = invoke(tmp_path / "runs" / "second", "--link", link)
    assert result.exit_code == 0, result.output
    assert link.resolve() == model


def test_republishing_swaps_the_link_and_names_the_old_one(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    newer = make_artifact(tmp_path / "runs" / "newer", seed=3)
    result = invoke(newer, "--link", link)
    assert result.exit_code == 0
    assert link.resolve() == newer
    assert f"previously: {run}" in result.output
    assert not list(tmp_path.glob(".current*")), "no staging link is left behind"


def test_a_tampered_model_is_refused_and_the_old_one_stays(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    broken = make_artifact(tmp_path / "runs" / "broken", seed=4)
    with (broken / "movie_vectors.npy").open("r+b") as stream:
        stream.seek(-8, os.SEEK_END)
        stream.write(b"\0" * 8)
    result = invoke(broken, "--link", link)
    assert result.exit_code != 0
    assert "checksum" in result.output and "current model is unchanged" in result.output
    assert link.resolve() == run


def test_an_inconsistent_model_is_refused(tmp_path):
    from movierec.artifacts import read_artifact, write_artifact

    good = read_artifact(make_artifact(tmp_path / "good"))
    arrays = dict(good.arrays)
    arrays["movie_vectors"] = arrays["movie_vectors"][:-1]
    bad = write_artifact(tmp_path / "bad", arrays=arrays, documents=good.documents)
    result = invoke(bad, "--link", tmp_path / "current")
    assert result.exit_code != 0 and "movie_vectors" in result.output
    assert not (tmp_path / "current").exists()


def test_a_folder_without_a_model_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke(tmp_path / "empty", "--link", tmp_path / "current")
    assert result.exit_code != 0 and "no model artifact" in result.output
    assert invoke(tmp_path / "absent").exit_code != 0


def test_a_real_folder_in_place_of_the_link_is_not_overwritten(run, tmp_path):
    (tmp_path / "current").mkdir()
    result = invoke(run, "--link", tmp_path / "current")
    assert result.exit_code != 0 and "real folder" in result.output
