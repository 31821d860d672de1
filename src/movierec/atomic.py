"""Writing files and folders so that a reader sees the old one or the whole new one, never half."""

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from movierec.errors import UsageError

_PARTIAL = ".partial"


@contextmanager
def atomic_folder(destination: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside `destination`; on success it replaces `destination`.

    On any error (Ctrl-C included) the staging folder is removed and `destination` is untouched.
    Staging folders an earlier, killed writer left behind are removed first; a concurrent
    writer's, named with its living pid, is left alone (the last to finish wins).
    """
    # abspath, not resolve: "." and ".." get a name and a parent, and a link stays a link.
    destination = Path(os.path.abspath(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(destination)
    # Not mkdtemp: its folder is private (0700), and would make the published folder unreadable
    # to a web server running as another user.
    staging = _staging_name(destination)
    staging.mkdir()
    try:
        yield staging
        _replace_folder(staging, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def atomic_file(destination: Path) -> Iterator[Path]:
    """Yield a staging path beside `destination` to write one file (or make one link) at; on
    success it is renamed onto `destination` in one step.

    On any error (Ctrl-C included) the staging file is removed and `destination` is untouched.
    The staging name carries the pid, as `atomic_folder`'s does, so two writers never share one.
    """
    destination = Path(os.path.abspath(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(destination)
    staging = _staging_name(destination)
    try:
        yield staging
        os.replace(staging, destination)
    finally:
        # unlink, not exists(): a staged symlink to a missing target "does not exist".
        staging.unlink(missing_ok=True)


def remove_folder(folder: Path) -> None:
    """Remove `folder` so that no reader sees it half deleted: it is renamed aside in one step,
    then deleted; a deletion cut short leaves only a staging folder, which `remove_stale` (or
    anyone listing by name, as staging names begin with a dot) passes over."""
    folder = Path(os.path.abspath(folder))
    aside = _staging_name(folder)
    os.replace(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)


def check_replaceable(destination: Path, is_own_output: Callable[[Path], bool], *,
                      command: str, force: bool) -> Path:
    """`destination` as an absolute path, once replacing it whole is safe: it is missing,
    empty, an earlier output of `command` (`is_own_output(folder)`), or `force` says so.
    UsageError naming the folder otherwise, and always for the current folder or one holding
    it (the shell would be left in a deleted folder)."""
    destination = Path(os.path.abspath(destination))
    if destination.is_dir() and Path.cwd().is_relative_to(destination.resolve()):
        raise UsageError(f"{destination} is the current folder or holds it; `{command}` "
                         "replaces its --out whole, so give a new folder")
    if force or not destination.is_dir() or not any(destination.iterdir()):
        return destination
    if not is_own_output(destination):
        raise UsageError(f"{destination} holds other files and is not an earlier output of "
                         f"`{command}`, which replaces its --out whole; give a new or empty "
                         "folder, or add --force to replace it anyway")
    return destination


def remove_stale(destination: Path) -> None:
    """Remove the staging files and folders that interrupted writes of `destination` left
    behind: those of a process that has ended, or of a writer too old to name its pid."""
    destination = Path(destination)
    if destination.parent.is_dir():
        prefix = f".{destination.name}."
        for leftover in destination.parent.glob(f"{prefix}*{_PARTIAL}"):
            writer = leftover.name.removeprefix(prefix).split("-", 1)[0]
            if writer.isdigit() and _is_running(int(writer)):
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in blocks so memory stays flat for large files."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _staging_name(destination: Path) -> Path:
    return destination.parent / (
        f".{destination.name}.{os.getpid()}-{uuid.uuid4().hex}{_PARTIAL}")


def _is_running(pid: int) -> bool:
    """Whether process `pid` exists on this machine (signal 0 only asks)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _replace_folder(staging: Path, destination: Path) -> None:
    if not destination.exists():
        os.replace(staging, destination)
        return
    # A folder cannot be renamed onto a non-empty one: move the old one aside first, and put it
    # back should the second rename fail, so the destination is always whole.
    retired = staging.with_name(f"{staging.name}.retired{_PARTIAL}")
    os.replace(destination, retired)
    try:
        os.replace(staging, destination)
    except OSError:
        os.replace(retired, destination)
        raise
    shutil.rmtree(retired, ignore_errors=True)
