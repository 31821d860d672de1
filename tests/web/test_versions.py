"""Published versions: `movierec models` lists them, `movierec rollback` makes an earlier one
live (a running site follows within a second), only the last N are kept, and the admin shows
them."""

import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from django.test import Client

from movierec.artifacts import read_artifact
from movierec.cli.models import models
from movierec.cli.publish import publish
from movierec.cli.rollback import rollback
from movierec.versions import KEEP_VARIABLE, list_versions, live_target, record_gate

from .artifacts import CATALOGUE, make_artifact


def invoke(command, *args: object) -> Result:
    return CliRunner().invoke(command, [str(arg) for arg in args])


def publish_runs(tmp_path: Path, link: Path, count: int, *, keep: int = 5) -> list[Path]:
    """Publish `count` distinct runs at `link`, oldest first; their version folders."""
    published = []
    for number in range(count):
        run = make_artifact(tmp_path / "runs" / f"run{number}", seed=number, dataset="ml-100k")
        result = invoke(publish, run, "--link", link, "--keep", keep)
        assert result.exit_code == 0, result.output
        published.append(link.resolve())
    return published


@pytest.fixture
def link(tmp_path: Path) -> Path:
    return tmp_path / "models" / "current"


@pytest.fixture
def three(tmp_path: Path, link: Path) -> list[Path]:
    return publish_runs(tmp_path, link, 3)


def test_models_lists_the_versions_newest_first_and_marks_the_live_one(three, link):
    result = invoke(models, "--link", link)
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["*", three[1].name, three[0].name]
    assert rows[0].split()[1:4] == [three[2].name, "ml-100k", "synthetic-test"]
    document = json.loads(invoke(models, "--link", link, "--json").output)
    assert document["live"] == str(three[2])
    assert [(version["name"], version["live"]) for version in document["versions"]] == [
        (three[2].name, True), (three[1].name, False), (three[0].name, False)]


def test_models_says_when_nothing_is_published(link):
    result = invoke(models, "--link", link)
    assert result.exit_code == 0
    assert "no published versions" in result.output and "nothing is live" in result.output


def test_versions_published_before_records_existed_are_listed_by_their_folders_time(three, link):
    shutil.rmtree(link.parent / "versions" / "records")
    # Folder times that contradict the publishing order, so the order seen is theirs.
    for age, folder in enumerate(three):
        os.utime(folder, (1e9 - age, 1e9 - age))
    assert [version.path for version in list_versions(link)] == three


def test_gate_figures_are_recorded_beside_the_copy_and_listed(three, link):
    before = {item.name: item.read_bytes() for item in three[2].iterdir()}
    record_gate(live_target(link), {"rmse": 0.8712, "ndcg@10": 0.3121})
    assert {item.name: item.read_bytes() for item in three[2].iterdir()} == before
    read_artifact(three[2])
    assert "rmse 0.8712, ndcg@10 0.3121" in invoke(models, "--link", link).output
    assert list_versions(link)[0].gate == {"rmse": 0.8712, "ndcg@10": 0.3121}


def test_rollback_goes_back_one_published_version_at_a_time(three, link):
    result = invoke(rollback, "--link", link)
    assert result.exit_code == 0, result.output
    assert link.resolve() == three[1]
    assert f"previously: {three[2].name}" in result.output
    assert invoke(rollback, "--link", link).exit_code == 0
    assert link.resolve() == three[0]
    oldest = invoke(rollback, "--link", link)
    assert oldest.exit_code != 0 and "no version was published before" in oldest.output
    assert link.resolve() == three[0]


def test_rollback_to_a_version_named_whole_or_by_a_unique_prefix(three, link):
    assert invoke(rollback, three[0].name, "--link", link).exit_code == 0
    assert link.resolve() == three[0]
    result = invoke(rollback, "run2", "--link", link)
    assert result.exit_code == 0, result.output
    assert link.resolve() == three[2]
    again = invoke(rollback, "run2", "--link", link)
    assert again.exit_code == 0 and "already live" in again.output


def test_rollback_to_an_unknown_version_is_refused_and_changes_nothing(three, link):
    folders = sorted(item.name for item in link.parent.rglob("*"))
    result = invoke(rollback, "run9", "--link", link)
    assert result.exit_code == 2
    assert "no version 'run9'" in result.output
    assert all(version.name in result.output for version in three), "the choices are listed"
    ambiguous = invoke(rollback, "run", "--link", link)
    assert ambiguous.exit_code == 2 and "give more of the name" in ambiguous.output
    assert link.resolve() == three[2]
    assert sorted(item.name for item in link.parent.rglob("*")) == folders


def test_a_damaged_version_is_not_made_live(three, link):
    target = three[1] / "movie_vectors.npy"
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    with target.open("r+b") as stream:
        stream.seek(-8, os.SEEK_END)
        stream.write(b"\0" * 8)
    result = invoke(rollback, "--link", link)
    assert result.exit_code != 0
    assert "checksum" in result.output and "live model is unchanged" in result.output
    assert link.resolve() == three[2]


def test_publishing_keeps_the_last_n_versions(tmp_path, link):
    published = publish_runs(tmp_path, link, 4, keep=2)
    assert [version.path for version in list_versions(link)] == [published[3], published[2]]
    assert not published[0].exists() and not published[1].exists()
    records = sorted(item.name for item in (link.parent / "versions" / "records").iterdir())
    assert records == sorted(f"{folder.name}.json" for folder in published[2:])
    assert not list((link.parent / "versions").glob(".*")), "no staging folder is left"


def test_pruning_never_removes_the_live_version(three, link):
    result = invoke(rollback, three[0].name, "--link", link, "--keep", 2)
    assert result.exit_code == 0, result.output
    assert f"removed the old version {three[1].name}" in result.output
    assert [version.path for version in list_versions(link)] == [three[2], three[0]]
    assert link.resolve() == three[0]


def test_a_version_that_cannot_be_removed_does_not_undo_the_publishing(tmp_path, link,
                                                                        monkeypatch):
    publish_runs(tmp_path, link, 1)

    def refuse(folder: Path) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr("movierec.versions.remove_folder", refuse)
    newer = make_artifact(tmp_path / "runs" / "newer", seed=7)
    result = invoke(publish, newer, "--link", link, "--keep", 1)
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "cannot remove this old version" in result.output
    assert link.resolve().name.startswith("newer-")


def test_the_number_kept_comes_from_the_environment(tmp_path, link, monkeypatch):
    monkeypatch.setenv(KEEP_VARIABLE, "1")
    publish_runs(tmp_path, link, 1)
    newer = make_artifact(tmp_path / "runs" / "newer", seed=7)
    assert invoke(publish, newer, "--link", link).exit_code == 0
    assert [version.path for version in list_versions(link)] == [link.resolve()]
    monkeypatch.setenv(KEEP_VARIABLE, "none")
    refused = invoke(publish, make_artifact(tmp_path / "runs" / "third", seed=8), "--link", link)
    assert refused.exit_code == 2 and f"{KEEP_VARIABLE}=none" in refused.output
    assert link.resolve().name.startswith("newer-"), "nothing moved"


@pytest.mark.django_db(transaction=True)
def test_rollback_switches_a_running_site_within_a_second(tmp_path, link, settings):
    older = make_artifact(tmp_path / "runs" / "older", seed=1)
    sequel = ("Heat 2 (2026)", ["Crime"], None)
    newer = make_artifact(tmp_path / "runs" / "newer", seed=5, catalogue=[*CATALOGUE, sequel])
    for run in (older, newer):
        assert invoke(publish, run, "--link", link).exit_code == 0
    settings.MOVIEREC_MODEL = link
    settings.MOVIEREC_MODEL_CHECK_SECONDS = 1.0
    site = Client()
    assert site.get("/api/movies/51").status_code == 200
    assert invoke(rollback, "--link", link).exit_code == 0
    rolled_back = time.monotonic()
    while site.get("/api/movies/51").status_code == 200:
        assert time.monotonic() - rolled_back < 3, "the site still serves the newer model"
        time.sleep(0.05)
    assert time.monotonic() - rolled_back < 1.0 + 1.0  # the check interval, and the load
    assert site.get("/api/movies/50").status_code == 200


@pytest.mark.django_db
def test_the_admin_shows_the_live_version_and_the_history(three, link, settings, client,
                                                          django_user_model):
    settings.MOVIEREC_MODEL = link
    record_gate(three[1], {"rmse": 0.9})
    invoke(rollback, "--link", link)
    client.force_login(django_user_model.objects.create_superuser("boss", password="x" * 12))
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/published-models/"' in index
    page = client.get("/admin/published-models/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Live: <strong>{three[1].name}</strong>" in html
    assert all(version.name in html for version in three) and "rmse 0.9" in html
    assert html.index(three[2].name, html.index('id="versions"')) < html.index(three[0].name)


@pytest.mark.django_db
def test_the_published_models_page_is_for_staff_only(client, account):
    assert client.get("/admin/published-models/").status_code == 302
    client.force_login(account)
    assert client.get("/admin/published-models/").status_code == 302
