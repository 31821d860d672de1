"""Loading the model once, and swapping in a newly published one without a restart."""

import json
import re
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from movierec.artifacts import ArtifactError, read_artifact, write_artifact
from movierec.engine import NoPublishedModel, Recommender
from movierec_site.serving.store import ModelStore, ModelUnavailable

from .artifacts import CATALOGUE, make_artifact
from .conftest import publish_link


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    names = ("one", "two", "bad")
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    return {name: tmp_path / name for name in names}


def fake_loader(loaded: list[str], gate: threading.Event | None = None):
    def load(path: Path) -> str:
        if gate is not None:
            gate.wait(5)
        if path.name == "bad":
            raise ValueError("broken on purpose")
        loaded.append(path.name)
        return f"engine {path.name}"

    return load


def test_no_link_means_no_published_model(tmp_path):
    store = ModelStore(tmp_path / "current", load=fake_loader([]))
    with pytest.raises(NoPublishedModel, match="movierec publish"):
        store.get()


def test_loads_once_and_checks_the_link_at_most_once_per_interval(folders, tmp_path):
    loaded: list[str] = []
    clock = FakeClock()
    link = publish_link(tmp_path, folders["one"])
    store = ModelStore(link, load=fake_loader(loaded), check_every=1.0, clock=clock)
    assert store.get().engine == "engine one"
    publish_link(tmp_path, folders["two"])
    clock.now = 0.5
    assert store.get().engine == "engine one", "not checked again within the interval"
    clock.now = 1.5
    store.get()
    wait_for(lambda: store.current.engine == "engine two")
    assert loaded == ["one", "two"]


def test_requests_keep_the_old_model_while_the_new_one_loads(folders, tmp_path):
    gate = threading.Event()
    clock = FakeClock()
    link = publish_link(tmp_path, folders["one"])
    store = ModelStore(link, load=fake_loader([], gate), check_every=1.0, clock=clock)
    gate.set()
    store.get()
    gate.clear()
    publish_link(tmp_path, folders["two"])
    clock.now = 2
    assert store.get().engine == "engine one"
    clock.now = 4
    assert store.get().engine == "engine one", "a second check starts no second load"
    gate.set()
    wait_for(lambda: store.current.engine == "engine two")


def test_a_model_that_fails_to_load_is_logged_and_the_old_one_stays(folders, tmp_path, caplog):
    loaded: list[str] = []
    clock = FakeClock()
    link = publish_link(tmp_path, folders["one"])
    store = ModelStore(link, load=fake_loader(loaded), check_every=1.0, clock=clock)
    store.get()
    publish_link(tmp_path, folders["bad"])
    clock.now = 2
    store.get()
    wait_for(lambda: store.last_error is not None)
    assert store.get().engine == "engine one"
    assert "broken on purpose" in store.last_error
    assert "failed to load" in caplog.text
    clock.now = 4
    store.get()
    time.sleep(0.05)
    assert loaded == ["one"], "a model that failed is not retried until republished"


def test_a_broken_first_model_is_unavailable_not_retried_on_every_request(folders, tmp_path):
    link = publish_link(tmp_path, folders["bad"])
    store = ModelStore(link, load=fake_loader([]))
    for _ in range(2):
        with pytest.raises(ModelUnavailable, match="broken on purpose"):
            store.get()


@pytest.mark.django_db(transaction=True)
def test_the_site_swaps_models_without_a_failed_request(tmp_path, model_dir, settings):
    """Publish a model with one more movie while clients keep asking: every answer is a 200,
    and the new movie appears without a restart."""
    newer = make_artifact(
        tmp_path / "newer", seed=5, catalogue=[*CATALOGUE, ("Heat 2 (2026)", ["Crime"], None)]
    )
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "site", model_dir)
    settings.MOVIEREC_MODEL_CHECK_SECONDS = 0.05
    assert Client().get("/api/movies/51").status_code == 404
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        client = Client()
        while not stop.is_set():
            statuses.append(client.get("/api/movies/1/similar").status_code)
            statuses.append(client.get("/movies/2/").status_code)

    clients = [threading.Thread(target=keep_asking) for _ in range(3)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(0.2)
        publish_link(tmp_path / "site", newer)
        wait_for(lambda: Client().get("/api/movies/51").status_code == 200)
        time.sleep(0.1)
    finally:
        stop.set()
        for thread in clients:
            thread.join()
    assert len(statuses) > 20
    assert set(statuses) == {200}
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("ops", is_staff=True))
    assert staff.get("/readyz").json()["model"]["path"] == str(newer)


@pytest.mark.django_db
def test_without_a_model_pages_say_so_and_readyz_is_503(tmp_path, settings, client):
    settings.MOVIEREC_MODEL = tmp_path / "nothing" / "current"
    page = client.get("/")
    assert page.status_code == 503 and "movierec publish" in page.content.decode()
    api = client.get("/api/movies")
    assert api.status_code == 503 and "no model is published" in api.json()["detail"]
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["model"]["loaded"] is False
    assert client.get("/api/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_broken_published_model_is_reported_by_readyz(tmp_path, settings, client):
    broken = make_artifact(tmp_path / "broken")
    (broken / "movies.json").write_text("[]")
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "site", broken)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "checksum" in ready.json()["model"]["error"]


@pytest.mark.parametrize("entry", ["../outside.json", "/etc/hostname", "sub/../../x.json", "out"])
def test_a_manifest_entry_outside_the_model_folder_is_refused(tmp_path, entry):
    folder = make_artifact(tmp_path / "model")
    (tmp_path / "secret.json").write_text("{}")
    (folder / "out").symlink_to(tmp_path / "secret.json")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][entry] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match=re.escape(repr(entry))):
        read_artifact(folder, verify=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", 5), ("genres", "Drama"), ("genres", [1]), ("movie_id", "4"), ("movie_id", True)],
)
def test_every_record_of_the_movies_document_is_checked(tmp_path, field, value):
    good = read_artifact(make_artifact(tmp_path / "good"))
    movies = [dict(record) for record in good.documents["movies"]]
    movies[20][field] = value
    bad = write_artifact(
        tmp_path / "bad", arrays=good.arrays, documents={**good.documents, "movies": movies}
    )
    with pytest.raises(ArtifactError, match="record 20 of the movies document"):
        Recommender.from_artifact(bad)
