"""`movierec data fetch`, offline: a local HTTP server serves small synthetic archives."""

import dataclasses
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from movierec import paths
from movierec.cli.data_fetch import fetch
from movierec.data import fetch as fetch_module
from movierec.data.fetch import fetch_release, is_fetched, read_source, source_checksum
from movierec.data.releases import RELEASES
from movierec.errors import DataError, FetchError, UsageError

NAME = "ml-100k"
REAL_ZIP = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ml-100k.zip"

# Invented rows in the ML-100K layout: no MovieLens data.
FAKE_FILES = {
    "u.data": b"1\t10\t4\t881250949\n2\t10\t3\t891717742\n1\t20\t5\t878887116\n" * 50,
    "u.item": b"10|Imaginary Film (1990)|01-Jan-1990||http://example.invalid/1|0|1|0\n"
    b"20|Another Made-Up Film (1991)|01-Jan-1991||http://example.invalid/2|0|0|1\n",
    "u.user": b"1|30|F|writer|00001\n2|40|M|other|00002\n",
    "u.genre": b"unknown|0\nAction|1\n",
}


def make_zip(
    files: dict[str, bytes], top: str | None = "ml-100k", compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as bundle:
        for name, content in files.items():
            bundle.writestr(f"{top}/{name}" if top else name, content)
    return buffer.getvalue()


GOOD_ZIP = make_zip(FAKE_FILES)


def register(monkeypatch: pytest.MonkeyPatch, archive: bytes | None, **overrides: object) -> None:
    """Make the registry expect `archive` (or know no checksums when it is None)."""
    if archive is None:
        figures = {"size": None, "sha256": None, "md5": None}
    else:
        figures = {
            "size": len(archive),
            "sha256": hashlib.sha256(archive).hexdigest(),
            "md5": hashlib.md5(archive).hexdigest(),
        }
    figures.update(overrides)
    monkeypatch.setitem(RELEASES, NAME, dataclasses.replace(RELEASES[NAME], **figures))


class FakeMirror:
    """What the test server serves, how it misbehaves, and what it was asked."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.honour_range = True
        self.refuse_range = False
        self.cut_next_at: int | None = None
        self.requests: list[tuple[str, str | None]] = []
        self.base = ""

    def serve(self, archive: bytes) -> None:
        self.files[f"/{NAME}.zip"] = archive

    @property
    def archive_requests(self) -> list[str | None]:
        """The Range header of each request for the archive (None when there was none)."""
        return [rng for path, rng in self.requests if path == f"/{NAME}.zip"]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:
        mirror = self.server.mirror
        wanted = self.headers.get("Range")
        mirror.requests.append((self.path, wanted))
        body = mirror.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if wanted and mirror.refuse_range:
            self.send_response(416)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        if wanted and mirror.honour_range:
            start = int(wanted.removeprefix("bytes=").removesuffix("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        payload = body[start:]
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if mirror.cut_next_at is not None:
            # Announce the whole body but send only part of it, then hang up.
            payload, mirror.cut_next_at = payload[: mirror.cut_next_at], None
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    mirror: FakeMirror


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MOVIEREC_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MOVIEREC_MIRROR", raising=False)
    return tmp_path / "home"


@pytest.fixture
def mirror(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMirror]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mirror = FakeMirror()
    server.mirror.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("MOVIEREC_MIRROR", server.mirror.base)
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    try:
        yield server.mirror
    finally:
        server.shutdown()
        server.server_close()


def leftovers(home: Path) -> list[str]:
    """Everything fetch wrote under the home folder, relative to it."""
    return sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) if home.exists() else []


def assert_installed(home: Path, sha256: str) -> None:
    raw = home / "raw" / NAME
    for name, content in FAKE_FILES.items():
        assert (raw / name).read_bytes() == content
    assert not (raw / "ml-100k").exists()
    assert source_checksum(NAME) == sha256
    assert not [p for p in (home / "raw").iterdir() if p.name != NAME], "staging left behind"


# Downloads ------------------------------------------------------------------------------------


def test_good_download_is_verified_unpacked_and_recorded(mirror: FakeMirror, home: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    folder = fetch_release(NAME, progress=False)
    assert folder == paths.raw_dir(NAME)
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())
    assert (home / "archives" / f"{NAME}.zip").read_bytes() == GOOD_ZIP
    assert not (home / "archives" / f"{NAME}.zip.part").exists()
    record = read_source(NAME)
    assert record.md5 == hashlib.md5(GOOD_ZIP).hexdigest()
    assert record.origin == f"{mirror.base}/{NAME}.zip"
    assert record.verified and record.kind == "archive"
    assert mirror.archive_requests == [None]


def test_already_fetched_is_a_no_op_and_force_fetches_again(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    fetch_release(NAME, progress=False)
    (home / "raw" / NAME / "u.genre").unlink()
    fetch_release(NAME, progress=False)
    assert not (home / "raw" / NAME / "u.genre").exists()
    assert len(mirror.requests) == 1
    # --force reinstalls, from the verified archive kept in archives/ without downloading again.
    fetch_release(NAME, progress=False, force=True)
    assert (home / "raw" / NAME / "u.genre").exists()
    assert len(mirror.requests) == 1
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_checksum_mismatch_retries_once_then_fails_leaving_nothing(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    tampered = make_zip({**FAKE_FILES, "u.user": b"1|31|F|writer|00001\n2|40|M|other|00002\n"})
    assert len(tampered) == len(GOOD_ZIP)
    mirror.serve(tampered)
    with pytest.raises(FetchError) as caught:
        fetch_release(NAME, progress=False)
    message = str(caught.value)
    assert f"{mirror.base}/{NAME}.zip" in message
    assert hashlib.sha256(GOOD_ZIP).hexdigest() in message
    assert hashlib.sha256(tampered).hexdigest() in message
    assert "--from PATH" in message
    assert mirror.archive_requests == [None, None]
    assert leftovers(home) == ["archives"]
    assert not is_fetched(NAME)


def test_interrupted_download_resumes_with_range(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    half = len(GOOD_ZIP) // 2
    mirror.cut_next_at = half
    with pytest.raises(FetchError, match=r"interrupted.*again to resume"):
        fetch_release(NAME, progress=False)
    part = home / "archives" / f"{NAME}.zip.part"
    assert part.read_bytes() == GOOD_ZIP[:half]
    assert not (home / "raw" / NAME).exists()
    fetch_release(NAME, progress=False)
    assert mirror.archive_requests == [None, f"bytes={half}-"]
    assert not part.exists()
    assert (home / "archives" / f"{NAME}.zip").read_bytes() == GOOD_ZIP
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_server_ignoring_range_starts_over_cleanly(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    mirror.honour_range = False
    part = home / "archives" / f"{NAME}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"stale bytes from another try")
    fetch_release(NAME, progress=False)
    assert mirror.archive_requests == [f"bytes={len(b'stale bytes from another try')}-"]
    assert (home / "archives" / f"{NAME}.zip").read_bytes() == GOOD_ZIP
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_range_not_satisfiable_starts_over_once(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    mirror.refuse_range = True
    part = home / "archives" / f"{NAME}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * 10)
    fetch_release(NAME, progress=False)
    assert mirror.archive_requests == ["bytes=10-", None]
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_resumed_file_that_fails_verification_is_downloaded_afresh(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    part = home / "archives" / f"{NAME}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * 100)  # right length so far, wrong bytes: only the checksum can tell
    fetch_release(NAME, progress=False)
    assert mirror.archive_requests == ["bytes=100-", None]
    assert (home / "archives" / f"{NAME}.zip").read_bytes() == GOOD_ZIP


def test_complete_partial_file_is_verified_without_a_request(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.serve(GOOD_ZIP)
    part = home / "archives" / f"{NAME}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(GOOD_ZIP)
    fetch_release(NAME, progress=False)
    assert mirror.archive_requests == []
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_http_404_names_the_url_and_the_offline_route(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    with pytest.raises(FetchError) as caught:
        fetch_release(NAME, progress=False)
    message = str(caught.value)
    assert f"{mirror.base}/{NAME}.zip" in message
    assert "404" in message and "--from PATH" in message
    assert not is_fetched(NAME)
    assert not (home / "archives" / f"{NAME}.zip.part").exists()


def test_connection_refused_is_a_fetch_error(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    closed = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = closed.server_address[1]
    closed.server_close()
    monkeypatch.setenv("MOVIEREC_MIRROR", f"http://127.0.0.1:{port}/")
    with pytest.raises(FetchError, match=rf"127\.0\.0\.1:{port}/{NAME}\.zip.*--from PATH"):
        fetch_release(NAME, progress=False)


@pytest.mark.parametrize(
    "line", ["MD5 (ml-100k.zip) = {md5}\n", "{md5}  ml-100k.zip\n", "{MD5}\n"]
)
def test_live_md5_verifies_a_release_the_registry_has_no_checksum_for(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    register(monkeypatch, None)
    md5 = hashlib.md5(GOOD_ZIP).hexdigest()
    mirror.serve(GOOD_ZIP)
    mirror.files[f"/{NAME}.zip.md5"] = line.format(md5=md5, MD5=md5.upper()).encode()
    fetch_release(NAME, progress=False)
    assert read_source(NAME).md5 == md5
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_a_download_checked_only_by_the_mirrors_md5_is_reported_unverified(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    mirror.serve(GOOD_ZIP)
    mirror.files[f"/{NAME}.zip.md5"] = hashlib.md5(GOOD_ZIP).hexdigest().encode()
    result = CliRunner().invoke(fetch, [NAME])
    assert result.exit_code == 0, result.output
    assert not read_source(NAME).verified
    assert "verified against the official checksums" not in result.output
    assert "unverified: no official checksum" in result.output


def test_live_md5_mismatch_and_absence_are_refused(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    mirror.serve(GOOD_ZIP)
    with pytest.raises(FetchError, match=r"ml-100k\.zip\.md5.*404"):
        fetch_release(NAME, progress=False)
    mirror.files[f"/{NAME}.zip.md5"] = b"MD5 (ml-100k.zip) = " + b"0" * 32
    with pytest.raises(FetchError, match=r"expected md5 0{32}"):
        fetch_release(NAME, progress=False)
    mirror.files[f"/{NAME}.zip.md5"] = b"<html>gone</html>"
    with pytest.raises(FetchError, match="does not hold an md5"):
        fetch_release(NAME, progress=False)
    assert leftovers(home) == ["archives"]


def test_download_of_a_valid_archive_missing_files_leaves_no_raw_folder(
    mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incomplete = make_zip({"u.data": FAKE_FILES["u.data"]})
    register(monkeypatch, incomplete)
    mirror.serve(incomplete)
    with pytest.raises(FetchError, match=r"missing u\.item, u\.user"):
        fetch_release(NAME, progress=False)
    assert not [path for path in leftovers(home) if path.startswith("raw/")]


# --from -----------------------------------------------------------------------------------------


def test_from_local_zip_matching_the_registry(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    archive = tmp_path / "download.zip"
    archive.write_bytes(GOOD_ZIP)
    fetch_release(NAME, str(archive), progress=False)
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())
    assert read_source(NAME).origin == str(archive)


def test_from_file_url(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, GOOD_ZIP)
    archive = tmp_path / "download.zip"
    archive.write_bytes(GOOD_ZIP)
    fetch_release(NAME, archive.as_uri(), progress=False)
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_from_http_url(mirror: FakeMirror, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    register(monkeypatch, GOOD_ZIP)
    mirror.files["/elsewhere/copy.zip"] = GOOD_ZIP
    monkeypatch.delenv("MOVIEREC_MIRROR")
    fetch_release(NAME, f"{mirror.base}/elsewhere/copy.zip", progress=False)
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_from_zip_with_files_at_its_root(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flat = make_zip(FAKE_FILES, top=None)
    register(monkeypatch, flat)
    archive = tmp_path / "flat.zip"
    archive.write_bytes(flat)
    fetch_release(NAME, str(archive), progress=False)
    assert_installed(home, hashlib.sha256(flat).hexdigest())


def test_from_local_zip_not_matching_the_registry_is_installed_unverified(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    other = make_zip({**FAKE_FILES, "u.genre": b"changed\n"})
    archive = tmp_path / "mine.zip"
    archive.write_bytes(other)
    fetch_release(NAME, str(archive), progress=False)
    record = read_source(NAME)
    assert not record.verified
    assert record.sha256 == hashlib.sha256(other).hexdigest()
    assert (home / "raw" / NAME / "u.genre").read_bytes() == b"changed\n"


@pytest.mark.parametrize("nested", [False, True], ids=["release-folder", "parent-folder"])
def test_from_folder_is_copied_as_is(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nested: bool
) -> None:
    register(monkeypatch, GOOD_ZIP)
    release_folder = tmp_path / "mine" / "ml-100k"
    release_folder.mkdir(parents=True)
    for name, content in FAKE_FILES.items():
        (release_folder / name).write_bytes(content)
    (release_folder / "extra").mkdir()
    (release_folder / "extra" / "notes.txt").write_text("mine")
    given = release_folder.parent if nested else release_folder
    fetch_release(NAME, str(given), progress=False)
    raw = home / "raw" / NAME
    assert (raw / "extra" / "notes.txt").read_text() == "mine"
    record = read_source(NAME)
    assert (record.kind, record.verified, record.md5) == ("folder", False, None)
    assert record.origin == str(release_folder)
    first = record.sha256
    # The checksum depends on the content only: the same files give the same checksum, an edit
    # a different one.
    fetch_release(NAME, str(given), progress=False, force=True)
    assert source_checksum(NAME) == first
    (release_folder / "u.user").write_bytes(b"1|31|F|writer|00001\n")
    fetch_release(NAME, str(given), progress=False, force=True)
    assert source_checksum(NAME) != first
    assert (raw / "u.user").read_bytes() == b"1|31|F|writer|00001\n"


def test_from_folder_missing_files_names_them(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "u.data").write_bytes(FAKE_FILES["u.data"])
    with pytest.raises(FetchError, match=r"missing u\.item, u\.user"):
        fetch_release(NAME, str(tmp_path / "mine"), progress=False)
    assert leftovers(home) == []


def test_truncated_zip_is_refused_leaving_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)  # no checksum to compare, so the zip itself must catch it
    archive = tmp_path / "cut.zip"
    archive.write_bytes(GOOD_ZIP[: len(GOOD_ZIP) // 2])
    with pytest.raises(FetchError, match="not a zip archive or is truncated"):
        fetch_release(NAME, str(archive), progress=False)
    assert leftovers(home) in ([], ["raw"])


def test_corrupt_member_is_refused_and_an_earlier_fetch_survives(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    good = tmp_path / "good.zip"
    good.write_bytes(GOOD_ZIP)
    fetch_release(NAME, str(good), progress=False)
    # Stored uncompressed, a member's bytes sit verbatim in the archive: flip one to break its CRC.
    stored = make_zip(FAKE_FILES, compression=zipfile.ZIP_STORED)
    offset = stored.index(FAKE_FILES["u.user"])
    damaged = stored[:offset] + bytes([stored[offset] ^ 0xFF]) + stored[offset + 1:]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(damaged)
    with pytest.raises(FetchError, match="not a zip archive or is truncated"):
        fetch_release(NAME, str(bad), progress=False, force=True)
    assert_installed(home, hashlib.sha256(GOOD_ZIP).hexdigest())


def test_zip_missing_files_is_refused_leaving_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    archive = tmp_path / "partial.zip"
    archive.write_bytes(make_zip({"u.data": FAKE_FILES["u.data"], "u.item": b"1|x\n"}))
    with pytest.raises(FetchError, match=r"missing u\.user"):
        fetch_release(NAME, str(archive), progress=False)
    assert leftovers(home) in ([], ["raw"])


def test_an_archive_unpacking_far_beyond_its_size_is_refused(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    monkeypatch.setattr(fetch_module, "UNPACKED_FLOOR_BYTES", 1 << 16)
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(make_zip({**FAKE_FILES, "u.info": b"0" * (4 << 20)}))
    with pytest.raises(FetchError, match=r"bomb\.zip would unpack to 4,1\d\d,\d{3} bytes"):
        fetch_release(NAME, str(archive), progress=False)
    assert leftovers(home) in ([], ["raw"])


def test_only_the_release_files_are_unpacked(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, None)
    strays = {"notes/huge.bin": b"x", "run.exe": b"x", "__MACOSX/._u.data": b"x"}
    archive = tmp_path / "mixed.zip"
    archive.write_bytes(make_zip({**FAKE_FILES, **strays}))
    fetch_release(NAME, str(archive), progress=False)
    assert sorted(p.name for p in (home / "raw" / NAME).iterdir()) == sorted(
        [*FAKE_FILES, ".source.json"])


def test_from_nowhere(home: Path, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="no such file or folder"):
        fetch_release(NAME, str(tmp_path / "absent.zip"), progress=False)


def test_source_checksum_before_any_fetch(home: Path) -> None:
    with pytest.raises(DataError, match="movierec data fetch ml-100k"):
        source_checksum(NAME)


def test_unknown_release_is_a_usage_error(home: Path) -> None:
    with pytest.raises(UsageError, match="unknown release"):
        fetch_release("ml-7", progress=False)


# The command ----------------------------------------------------------------------------------


def test_command_rejects_an_unknown_name(home: Path) -> None:
    result = CliRunner().invoke(fetch, ["ml-7"])
    assert isinstance(result.exception, UsageError)
    assert "ml-100k" in str(result.exception)
    assert leftovers(home) == []


def test_command_fetches_from_a_zip_then_says_it_is_there(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    archive = tmp_path / "download.zip"
    archive.write_bytes(GOOD_ZIP)
    runner = CliRunner()
    result = runner.invoke(fetch, [NAME, "--from", str(archive)])
    assert result.exit_code == 0, result.output
    assert str(home / "raw" / NAME) in result.output
    assert "4 files" in result.output and "verified" in result.output
    again = runner.invoke(fetch, [NAME, "--from", str(archive)])
    assert again.exit_code == 0
    assert "already fetched" in again.output
    forced = runner.invoke(fetch, [NAME, "--from", str(archive), "--force"])
    assert forced.exit_code == 0 and "fetched ml-100k into" in forced.output


def test_command_reports_a_bad_zip_as_a_fetch_error(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, GOOD_ZIP)
    archive = tmp_path / "mine.zip"
    archive.write_bytes(b"not a zip")
    result = CliRunner().invoke(fetch, [NAME, "--from", str(archive)])
    assert isinstance(result.exception, FetchError)


# The real archive on hand ---------------------------------------------------------------------


@pytest.mark.realdata
def test_real_ml_100k_archive(home: Path, tmp_path: Path) -> None:
    """The shared ml-100k.zip: installed when it is GroupLens's own archive (its checksums match
    the registry); otherwise refused as unofficial, and accepted as a folder once unpacked."""
    if not REAL_ZIP.is_file():
        pytest.skip(f"{REAL_ZIP} is absent")
    release = RELEASES[NAME]
    sha256 = hashlib.sha256(REAL_ZIP.read_bytes()).hexdigest()
    fetch_release(NAME, str(REAL_ZIP), progress=False)
    assert read_source(NAME).verified == (sha256 == release.sha256)
    raw = home / "raw" / NAME
    with (raw / "u.data").open("rb") as ratings:
        assert sum(1 for _ in ratings) == 100_000
    assert json.loads((raw / ".source.json").read_text())["release"] == NAME
