"""`movierec publish`: copies and checks the model, refuses a broken one, repoints `current`
atomically, and what is served no longer changes with the run folder."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from movierec.artifacts import MANIFEST, read_artifact
from movierec.cli.publish import publish
from movierec.versions import RECORDS, list_versions

from .artifacts import make_artifact


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return make_artifact(tmp_path / "runs" / "first")


def invoke(*args: str):
    return CliRunner().invoke(publish, [str(arg) for arg in args])


def is_copy_of(served: Path, run: Path) -> bool:
    """`served` is a version folder holding the same model as `run`, not `run` itself."""
    return (
        served.parent.name == "versions"
        and served.name.startswith(f"{run.name}-")
        and (served / MANIFEST).read_bytes() == (run / MANIFEST).read_bytes()
    )


def test_publish_links_current_to_a_copy_of_the_model(run, tmp_path, movierec_home):
    result = invoke(run)
    assert result.exit_code == 0, result.output
    link = movierec_home / "models" / "current"
    assert link.is_symlink()
    served = Path(os.readlink(link))
    assert served.parent == movierec_home / "models" / "versions" and is_copy_of(served, run)
    assert "50 movies, 40 users" in result.output
    read_artifact(served)


def test_a_resumed_run_does_not_change_the_served_model(run, tmp_path):
    link = tmp_path / "current"
    assert invoke(run, "--link", link).exit_code == 0
    served = link.resolve()
    before = {item.name: item.read_bytes() for item in served.iterdir()}
    # What a resume does to the run folder: the manifest goes, logs are rewritten in place.
    (run / MANIFEST).unlink()
    for item in run.iterdir():
        with item.open("r+b") as stream:
            stream.write(b"rewritten")
    assert link.resolve() == served
    assert {item.name: item.read_bytes() for item in served.iterdir()} == before
    read_artifact(served)


def test_a_rewritten_run_is_published_as_a_new_version(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    first = link.resolve()
    make_artifact(run, seed=5)
    result = invoke(run, "--link", link)
    assert result.exit_code == 0, result.output
    assert link.resolve() != first and is_copy_of(link.resolve(), run)
    assert first.is_dir(), "earlier versions are kept"


def test_publishing_the_same_model_again_reuses_its_copy(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    first = link.resolve()
    assert invoke(run, "--link", link).exit_code == 0
    assert link.resolve() == first
    assert [version.path for version in list_versions(link)] == [first]


def test_an_older_version_can_be_published_again(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    first = link.resolve()
    invoke(make_artifact(tmp_path / "runs" / "newer", seed=3), "--link", link)
    result = invoke(first, "--link", link)
    assert result.exit_code == 0, result.output
    assert link.resolve() == first


def test_publish_finds_the_model_inside_a_run_folder(tmp_path):
    model = make_artifact(tmp_path / "runs" / "second" / "model")
    link = tmp_path / "site" / "current"
    result = invoke(tmp_path / "runs" / "second", "--link", link)
    assert result.exit_code == 0, result.output
    assert is_copy_of(link.resolve(), model)


def test_republishing_swaps_the_link_and_names_the_old_one(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    first = link.resolve()
    newer = make_artifact(tmp_path / "runs" / "newer", seed=3)
    result = invoke(newer, "--link", link)
    assert result.exit_code == 0
    assert is_copy_of(link.resolve(), newer)
    assert f"previously: {first}" in result.output
    assert not list(tmp_path.glob(".current*")), "no staging link is left behind"


def test_a_tampered_model_is_refused_and_the_old_one_stays(run, tmp_path):
    link = tmp_path / "current"
    invoke(run, "--link", link)
    served = link.resolve()
    broken = make_artifact(tmp_path / "runs" / "broken", seed=4)
    with (broken / "movie_vectors.npy").open("r+b") as stream:
        stream.seek(-8, os.SEEK_END)
        stream.write(b"\0" * 8)
    result = invoke(broken, "--link", link)
    assert result.exit_code != 0
    assert "checksum" in result.output and "current model is unchanged" in result.output
    assert link.resolve() == served
    left = [item.name for item in (tmp_path / "versions").iterdir() if item.name != RECORDS]
    assert left == [served.name], "no copy of the refused model is left"


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
    assert not (tmp_path / "versions").exists()


def test_a_site_keeps_serving_the_published_model_while_its_run_resumes(run, tmp_path):
    from movierec_site.serving.store import ModelStore

    link = tmp_path / "current"
    invoke(run, "--link", link)
    store = ModelStore(link, check_every=0)
    served = store.get()
    (run / MANIFEST).unlink()
    (run / "movie_vectors.npy").write_bytes(b"half a file")
    assert store.get() is served and store.last_error is None
    assert Path(served.path) == link.resolve()
    read_artifact(link)


def test_a_model_of_nan_vectors_is_refused_and_never_said_published(tmp_path):
    from movierec.artifacts import write_artifact

    good = read_artifact(make_artifact(tmp_path / "good"))
    arrays = {name: good.array(name) for name in good.arrays}
    arrays["user_vectors"] = arrays["user_vectors"].copy()
    arrays["user_vectors"][3] = float("nan")
    bad = write_artifact(tmp_path / "diverged", arrays=arrays, documents=good.documents)
    result = invoke(bad, "--link", tmp_path / "current")
    assert result.exit_code != 0 and "Not published" in result.output
    assert "user_vectors holds values that are not finite" in result.output
    assert not (tmp_path / "current").exists()
