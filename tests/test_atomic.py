"""The one mechanism every file and folder writer uses: atomic replacement, readable results."""

import os
import stat

import pytest

from movierec.atomic import atomic_file, atomic_folder, remove_folder


def test_a_written_folder_replaces_the_old_one_whole(tmp_path):
    target = tmp_path / "model"
    with atomic_folder(target) as staging:
        (staging / "a").write_text("old")
    with atomic_folder(target) as staging:
        (staging / "b").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["b"]
    assert [p.name for p in tmp_path.iterdir()] == ["model"], "no staging folder is left"


def test_a_failed_write_leaves_the_old_folder_untouched(tmp_path):
    target = tmp_path / "model"
    with atomic_folder(target) as staging:
        (staging / "a").write_text("old")
    with pytest.raises(RuntimeError), atomic_folder(target) as staging:
        (staging / "b").write_text("half")
        raise RuntimeError("interrupted")
    assert [p.name for p in target.iterdir()] == ["a"]
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_the_folder_is_not_private(tmp_path):
    # A web server running as another user must be able to read a published model.
    previous = os.umask(0o022)
    try:
        with atomic_folder(tmp_path / "model"):
            pass
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "model").stat().st_mode) == 0o755


def test_leftovers_of_a_killed_writer_are_cleared(tmp_path):
    (tmp_path / ".model.dead.partial").mkdir()
    with atomic_folder(tmp_path / "model"):
        pass
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_concurrent_writers_staging_folder_is_left_alone(tmp_path):
    target = tmp_path / "model"
    with atomic_folder(target) as first:
        (first / "a").write_text("first")
        with atomic_folder(target) as second:
            (second / "b").write_text("second")
        assert (first / "a").read_text() == "first", "the second writer deleted the first's"
    assert [p.name for p in target.iterdir()] == ["a"]
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_written_file_replaces_the_old_one(tmp_path):
    target = tmp_path / "top.csv"
    target.write_text("old\n")
    with atomic_file(target) as staging:
        staging.write_text("new\n")
        assert target.read_text() == "old\n", "a reader sees the old file until the end"
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["top.csv"]


def test_a_failed_file_write_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "top.csv"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as staging:
        staging.write_text("ha")
        raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["top.csv"]


def test_a_link_is_repointed_in_one_step(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "current"
    link.symlink_to(tmp_path / "a")
    with atomic_file(link) as staging:
        os.symlink(tmp_path / "b", staging)
    assert os.readlink(link) == str(tmp_path / "b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "current"]


def test_leftover_staging_files_of_a_killed_writer_are_cleared(tmp_path):
    (tmp_path / ".top.csv.dead.partial").write_text("half")
    os.symlink(tmp_path / "gone", tmp_path / ".top.csv.0-dead.partial")
    with atomic_file(tmp_path / "top.csv") as staging:
        staging.write_text("whole")
    assert [p.name for p in tmp_path.iterdir()] == ["top.csv"]


def test_a_removed_folder_of_read_only_files_goes_whole(tmp_path):
    target = tmp_path / "version"
    with atomic_folder(target) as staging:
        (staging / "weights").write_text("kept read-only, as published copies are")
        os.chmod(staging / "weights", stat.S_IRUSR)
    remove_folder(target)
    assert list(tmp_path.iterdir()) == []
