"""Download, verify and unpack a MovieLens release into `raw/<name>/`.

A download streams into `archives/<name>.zip.part`, resumes with an HTTP Range request when a
partial file is there, and becomes `archives/<name>.zip` only once its size and checksums match.
Unpacking happens in a hidden folder beside the raw folder that is renamed into place, so a
half-written raw folder is never seen. `raw/<name>/.source.json` records what was installed.
"""

import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, url2pathname, urlopen

from tqdm import tqdm

from movierec import __version__, paths
from movierec.atomic import atomic_folder
from movierec.data.releases import BASE_URL, Layout, Release, get_release
from movierec.errors import DataError, FetchError

MIRROR_ENV = "MOVIEREC_MIRROR"
"""Environment variable: a base URL that replaces GroupLens's, e.g. a local mirror."""
SOURCE_FILE = ".source.json"
TIMEOUT_S = 30.0
CHUNK_BYTES = 1 << 16
_USER_AGENT = f"movierec/{__version__}"
_MD5_PATTERN = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])")
UNPACKED_CAP_BYTES = 8 << 30
"""No archive unpacks to more: the largest release (ml-latest) unpacks to a few GiB at most."""
UNPACKED_RATIO = 50
"""Nor to more than this many times its own size: MovieLens text deflates about 4:1."""
UNPACKED_FLOOR_BYTES = 256 << 20
"""The ratio bound never refuses less than this, so a small trimmed copy always unpacks."""
_OPTIONAL_FILES = {
    Layout.ML100K: ("u.genre", "u.occupation", "u.info", "README",
                    *(f"u{split}.{part}" for split in (*"12345", "a", "b")
                      for part in ("base", "test"))),
    Layout.DAT: ("users.dat", "tags.dat", "README", "README.html"),
    Layout.CSV: ("links.csv", "tags.csv", "genome-scores.csv", "genome-tags.csv", "README.txt"),
}
"""The other files GroupLens ships in a release's folder; nothing else is unpacked."""


@dataclass(frozen=True)
class Source:
    """What `raw/<name>/.source.json` records about an installed release."""

    release: str
    sha256: str
    """Of the archive; for a folder, over its sorted file names and contents."""
    md5: str | None
    origin: str
    """The URL or local path the files came from."""
    kind: str
    """"archive" or "folder"."""
    verified: bool
    """Whether the archive matched the official checksums (the registry's, from DATA.md; never
    only a `.md5` served beside the download)."""
    fetched_at: str


@dataclass(frozen=True)
class _Expected:
    """What a genuine archive must look like; None where unknown."""

    size: int | None
    sha256: str | None
    md5: str | None


@dataclass(frozen=True)
class _Digest:
    """What a file on disk actually is."""

    size: int
    sha256: str
    md5: str

    @classmethod
    def of(cls, path: Path) -> "_Digest":
        sha256, md5 = hashlib.sha256(), hashlib.md5()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                sha256.update(chunk)
                md5.update(chunk)
        return cls(path.stat().st_size, sha256.hexdigest(), md5.hexdigest())

    def mismatch(self, expected: _Expected) -> str | None:
        """A description of how this file differs from `expected`, or None when it matches."""
        wrong = []
        if expected.size is not None and self.size != expected.size:
            wrong.append(f"expected {expected.size:,} bytes, got {self.size:,}")
        if expected.sha256 and self.sha256 != expected.sha256.lower():
            wrong.append(f"expected sha256 {expected.sha256}, got {self.sha256}")
        if expected.md5 and self.md5 != expected.md5.lower():
            wrong.append(f"expected md5 {expected.md5}, got {self.md5}")
        return "; ".join(wrong) or None


class _StartOver(Exception):
    """The server cannot continue the partial file (416, or a range other than asked for)."""


def release_url(release: Release) -> str:
    """The archive's URL, on `$MOVIEREC_MIRROR` when that is set."""
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        return release.url
    return f"{mirror.rstrip('/')}/{release.url.removeprefix(BASE_URL + '/')}"


def expected_files(release: Release) -> tuple[str, ...]:
    """The files a release must contain for movierec to load it."""
    if release.layout is Layout.ML100K:
        return ("u.data", "u.item", "u.user")
    if release.layout is Layout.DAT:
        dat = ("ratings.dat", "movies.dat")
        return (*dat, "users.dat") if release.has_demographics else dat
    return ("ratings.csv", "movies.csv")


def is_fetched(name: str) -> bool:
    """Whether `raw/<name>/` holds a complete fetch (it gets its `.source.json` last)."""
    return (paths.raw_dir(name) / SOURCE_FILE).is_file()


def read_source(name: str) -> Source:
    """The record of where the fetched files of `name` came from."""
    record = paths.raw_dir(name) / SOURCE_FILE
    try:
        fields = json.loads(record.read_text(encoding="utf-8"))
        return Source(**fields)
    except FileNotFoundError:
        raise DataError(f"{name} is not fetched yet: run `movierec data fetch {name}`") from None
    except (ValueError, TypeError) as error:
        raise DataError(
            f"{record} is damaged ({error}): run `movierec data fetch {name} --force`"
        ) from None


def source_checksum(name: str) -> str:
    """The sha256 the fetched files of `name` came from: what prepared data is keyed on."""
    return read_source(name).sha256


def fetch_release(
    name: str, source: str | None = None, *, progress: bool = True, force: bool = False
) -> Path:
    """Fetch release `name` into `paths.raw_dir(name)` and return that folder.

    `source` is None (download from GroupLens or `$MOVIEREC_MIRROR`), an http(s) URL of the zip,
    a `file://` URL, a local zip, or a local folder holding the release's files. Nothing is done
    when the release is already fetched, unless `force`.
    """
    release = get_release(name)
    target = paths.raw_dir(name)
    if is_fetched(name) and not force:
        return target
    if source is None or _is_http(source):
        url = source or release_url(release)
        archive, digest = _obtain_archive(release, url, progress, reuse=source is None)
        # Only DATA.md's figures verify: a `.md5` from the same server proves no more than it.
        official = bool(release.sha256 or release.md5)
        _install_archive(release, archive, digest, origin=url, verified=official)
        return target
    local = _local_path(source)
    if local.is_dir():
        _install_folder(release, local)
    elif local.is_file():
        _install_local_zip(release, local)
    else:
        raise FetchError(f"{source}: no such file or folder to fetch {name} from")
    return target


def _is_http(source: str) -> bool:
    return urlparse(source).scheme in ("http", "https")


def _local_path(source: str) -> Path:
    parsed = urlparse(source)
    if parsed.scheme == "file":
        return Path(url2pathname(parsed.path))
    return Path(source).expanduser()


# Downloads -------------------------------------------------------------------------------------


def _obtain_archive(
    release: Release, url: str, progress: bool, *, reuse: bool
) -> tuple[Path, _Digest]:
    """A verified `archives/<name>.zip`, downloading it unless a verified copy is already there."""
    archives = paths.archives_dir()
    archives.mkdir(parents=True, exist_ok=True)
    final = archives / f"{release.name}.zip"
    expected = _expected_for_download(release, url)
    if reuse and final.is_file():
        digest = _Digest.of(final)
        if digest.mismatch(expected) is None:
            return final, digest
        final.unlink()
    digest = _download_verified(release, url, archives / f"{final.name}.part", expected, progress)
    os.replace(archives / f"{final.name}.part", final)
    return final, digest


def _expected_for_download(release: Release, url: str) -> _Expected:
    """The registry's figures; the live `.md5` beside the archive where the registry has none."""
    if release.sha256 or release.md5:
        return _Expected(release.size, release.sha256, release.md5)
    return _Expected(release.size, None, _live_md5(release, f"{url}.md5"))


def _live_md5(release: Release, md5_url: str) -> str:
    """The checksum GroupLens publishes beside the archive (`MD5 (x.zip) = hex` or `hex  x.zip`)."""
    with _open_url(release, md5_url, {}) as response:
        text = response.read(4096).decode("ascii", errors="replace")
    found = _MD5_PATTERN.search(text)
    if found is None:
        raise FetchError(
            f"{md5_url} does not hold an md5 checksum (got {text.strip()[:80]!r}), so "
            f"{release.name} cannot be verified; try again later, or use --from PATH"
        )
    return found.group(0).lower()


def _download_verified(
    release: Release, url: str, part: Path, expected: _Expected, progress: bool
) -> _Digest:
    """Stream `url` into `part` until it verifies; a bad file gets one fresh start, then fails."""
    problem = ""
    for attempt in (1, 2):
        try:
            _stream(release, url, part, expected.size, progress)
        except _StartOver as reason:
            part.unlink(missing_ok=True)
            problem = str(reason)
            continue
        digest = _Digest.of(part)
        problem = digest.mismatch(expected) or ""
        if not problem:
            return digest
        # A file that does not verify is never kept: resuming it would only append to garbage.
        part.unlink()
        if attempt == 1 and progress:
            print(f"{url} did not verify ({problem}); downloading again", file=sys.stderr)
    raise FetchError(
        f"{url} did not verify after a fresh second download: {problem}. The file was deleted. "
        f"Try again later, set {MIRROR_ENV} to another mirror, or download the archive "
        f"yourself, check it, and run `movierec data fetch {release.name} --from PATH`"
    )


def _stream(
    release: Release, url: str, part: Path, size: int | None, progress: bool
) -> None:
    """Download `url` into `part`, continuing a partial file where the server allows it."""
    have = part.stat().st_size if part.is_file() else 0
    if size is not None and have > size:
        part.unlink()
        have = 0
    if size is not None and have == size:
        return  # complete already: a crash came between download and rename; verify it as is
    headers = {"Range": f"bytes={have}-"} if have else {}
    with _open_url(release, url, headers, resumable=True) as response:
        start = _resume_offset(response, have)
        length = response.headers.get("Content-Length")
        total = start + int(length) if length and length.isdigit() else size
        with part.open("ab" if start else "wb") as out, tqdm(
            total=total, initial=start, unit="B", unit_scale=True, unit_divisor=1024,
            desc=release.name, file=sys.stderr, disable=None if progress else True, leave=False,
        ) as bar:
            for chunk in _chunks(release, url, response, part):
                out.write(chunk)
                bar.update(len(chunk))
    got = part.stat().st_size
    if total is not None and got < total:
        raise FetchError(
            f"the download of {url} was interrupted after {got:,} of {total:,} bytes; run "
            f"`movierec data fetch {release.name}` again to resume it"
        )


def _resume_offset(response: HTTPResponse, have: int) -> int:
    """Where the response body starts in the file: `have` on a 206 for our range, else 0."""
    if response.status != 206:
        return 0  # the server ignored the Range header and sends the whole file: start over
    content_range = response.headers.get("Content-Range", "")
    match = re.match(r"bytes (\d+)-", content_range)
    if match is None or int(match.group(1)) != have:
        raise _StartOver(f"the server answered range {content_range!r} to bytes={have}-")
    return have


def _chunks(release: Release, url: str, response: HTTPResponse, part: Path) -> Iterator[bytes]:
    """The body in chunks; a dropped connection keeps the partial file for a later resume."""
    try:
        while chunk := response.read(CHUNK_BYTES):
            yield chunk
    except (OSError, HTTPException) as error:
        got = part.stat().st_size if part.exists() else 0
        raise FetchError(
            f"the download of {url} broke off after {got:,} bytes ({error}); run "
            f"`movierec data fetch {release.name}` again to resume it"
        ) from None


def _open_url(
    release: Release, url: str, headers: dict[str, str], *, resumable: bool = False
) -> HTTPResponse:
    """`urlopen` with a timeout, turning every failure into a FetchError that says what to do."""
    request = Request(url, headers={"User-Agent": _USER_AGENT, **headers})
    try:
        return urlopen(request, timeout=TIMEOUT_S)
    except HTTPError as error:
        if error.code == 416 and resumable:
            raise _StartOver(f"HTTP 416 for Range {headers.get('Range')}") from None
        reason = f"HTTP {error.code} {error.reason}"
    except (URLError, OSError, HTTPException) as error:
        reason = str(getattr(error, "reason", error))
    raise FetchError(
        f"could not download {url}: {reason}. Check the connection (or {MIRROR_ENV}); on a "
        f"machine without internet, copy the archive over and run "
        f"`movierec data fetch {release.name} --from PATH`"
    )


# Local sources ---------------------------------------------------------------------------------


def _install_local_zip(release: Release, archive: Path) -> None:
    """Install a zip from disk. The official archive is recorded as verified; any other zip in
    the release's layout (a rebuilt or trimmed copy, the user's own data) is installed as the
    user's own copy, unverified, once it opens and holds the expected files."""
    digest = _Digest.of(archive)
    official = _Expected(release.size, release.sha256, release.md5)
    verified = bool(official.sha256 or official.md5) and digest.mismatch(official) is None
    _install_archive(release, archive, digest, origin=str(archive.resolve()), verified=verified)


def _install_folder(release: Release, folder: Path) -> None:
    """Copy the user's own folder as is; its checksum covers its file names and contents."""
    root = _release_root(release, folder)
    with atomic_folder(paths.raw_dir(release.name)) as staging:
        for file in _files_under(root):
            destination = staging / file.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, destination)  # contents only: the user's modes may be odd
        source = _source_record(
            release, _folder_checksum(staging), None, str(root.resolve()), "folder", False
        )
        _write_source(staging, source)


def _release_root(release: Release, folder: Path) -> Path:
    """The folder holding the release's files: `folder` itself or its release-named child."""
    wanted = expected_files(release)
    candidates = [folder, folder / release.folder, folder / release.name]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in wanted):
            return candidate
    missing = [name for name in wanted if not (folder / name).is_file()]
    raise FetchError(
        f"{folder} does not hold the {release.name} files: missing {', '.join(missing)} "
        f"(looked in it and in {release.folder}/ inside it)"
    )


def _files_under(root: Path) -> list[Path]:
    """Every file below `root`, sorted, without an earlier fetch's record."""
    return sorted(
        path for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).as_posix() != SOURCE_FILE
    )


def _folder_checksum(root: Path) -> str:
    """sha256 over each file's relative name, length and bytes, in sorted order."""
    digest = hashlib.sha256()
    for file in _files_under(root):
        name = file.relative_to(root).as_posix().encode("utf-8")
        digest.update(b"%s\0%d\0" % (name, file.stat().st_size))
        with file.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                digest.update(chunk)
    return digest.hexdigest()


# Unpacking -------------------------------------------------------------------------------------


def _install_archive(
    release: Release, archive: Path, digest: _Digest, *, origin: str, verified: bool
) -> None:
    """Unpack `archive` (flattening its top folder) and rename the result into place."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            prefix = _archive_prefix(release, archive, bundle)
            with atomic_folder(paths.raw_dir(release.name)) as staging:
                _extract(release, bundle, prefix, staging)
                source = _source_record(
                    release, digest.sha256, digest.md5, origin, "archive", verified
                )
                _write_source(staging, source)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise FetchError(
            f"{archive} is not a zip archive or is truncated ({error}): download it again"
        ) from None


def _archive_prefix(release: Release, archive: Path, bundle: zipfile.ZipFile) -> str:
    """The folder inside the archive that holds the release's files ("" for the root)."""
    names = {info.filename for info in bundle.infolist() if not info.is_dir()}
    tops = sorted({name.split("/", 1)[0] + "/" for name in names if "/" in name})
    preferred = f"{release.folder}/"
    candidates = ["", *sorted(tops, key=lambda top: top != preferred)]
    wanted = expected_files(release)
    for prefix in candidates:
        if all(prefix + name in names for name in wanted):
            return prefix
    best = preferred if preferred in tops else (tops[0] if len(tops) == 1 else "")
    missing = [name for name in wanted if best + name not in names]
    raise FetchError(
        f"{archive} does not hold the {release.name} files: missing {', '.join(missing)}"
    )


def _extract(release: Release, bundle: zipfile.ZipFile, prefix: str, staging: Path) -> None:
    """Write the release's known files under `prefix` into `staging`, once their unpacked size
    is within bounds; every other member (a stray folder, Finder's __MACOSX) is skipped."""
    known = {*expected_files(release), *_OPTIONAL_FILES[release.layout]}
    members = [info for info in bundle.infolist()
               if not info.is_dir() and info.filename.startswith(prefix)
               and info.filename[len(prefix):] in known]
    _check_unpacked_size(bundle, members)
    for info in members:
        # zipfile stops each member at its declared size, so the check above bounds the writes.
        with bundle.open(info) as member, (staging / info.filename[len(prefix):]).open("wb") as out:
            shutil.copyfileobj(member, out, CHUNK_BYTES)


def _check_unpacked_size(bundle: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    archive_size = Path(str(bundle.filename)).stat().st_size
    limit = min(UNPACKED_CAP_BYTES, max(UNPACKED_FLOOR_BYTES, UNPACKED_RATIO * archive_size))
    unpacked = sum(info.file_size for info in members)
    if unpacked > limit:
        raise FetchError(
            f"{bundle.filename} would unpack to {unpacked:,} bytes from {archive_size:,}, more "
            f"than the {limit:,} a MovieLens release can; it is not a genuine release (a zip "
            "bomb or a damaged archive): download it again or use another copy"
        )


def _source_record(
    release: Release, sha256: str, md5: str | None, origin: str, kind: str, verified: bool
) -> Source:
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    return Source(release.name, sha256, md5, origin, kind, verified, fetched_at)


def _write_source(staging: Path, source: Source) -> None:
    """Record where the files came from; it is written last, so its presence marks a whole fetch."""
    record = json.dumps(asdict(source), indent=2, sort_keys=True) + "\n"
    (staging / SOURCE_FILE).write_text(record, encoding="utf-8")
