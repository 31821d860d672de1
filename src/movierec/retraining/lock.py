"""One retrain at a time: an exclusive, non-blocking `flock` on a file in `$MOVIEREC_HOME`.

The kernel drops the lock when its holder exits, however it exits (a crash, `kill -9`), so a
stale lock file never blocks the next retrain; the file itself stays and only says who held it
last. A second retrain does not wait: a timer fires again later, and waiting would stack runs up.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from movierec import paths
from movierec.errors import MovieRecError

LOCK_FILE = "retrain.lock"


class RetrainBusy(MovieRecError):
    """Another retrain holds the lock."""

    exit_code = 75
    """EX_TEMPFAIL (sysexits.h): try again later."""


@contextmanager
def retrain_lock(folder: Path | None = None) -> Iterator[Path]:
    """Hold the retrain lock of `folder` (default `$MOVIEREC_HOME`) for the `with` block;
    RetrainBusy at once when another process holds it. Yields the lock file's path."""
    path = (folder or paths.home()) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RetrainBusy(f"another retrain is running (process {holder} holds {path}); "
                              "this one stops without doing anything") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield path
