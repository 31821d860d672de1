"""One loaded model per process, swapped for a newly published one without a restart.

`movierec publish` repoints a symlink. Each request asks the store for the model; at most once per
`check_every` seconds the store looks whether the link's target changed. When it did, one
background thread loads the new model while every request keeps getting the old one; the swap is
a single assignment, so no request ever sees a half-loaded model or waits for a load. A model
that fails to load is logged and skipped, and the old one keeps serving.
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from movierec.engine import NoPublishedModel, Recommender
from movierec.errors import MovieRecError

log = logging.getLogger(__name__)

Identity = tuple[str, int]
"""The resolved target folder and its manifest's modification time: a republish in place
(same folder, new files) counts as a new model too."""


class ModelUnavailable(MovieRecError):
    """The published model exists but cannot be loaded, and no earlier model is loaded."""


@dataclass(frozen=True)
class LoadedModel:
    """A model being served, with what the health check reports about it."""

    engine: Recommender
    identity: Identity
    loaded_at: datetime

    @property
    def path(self) -> str:
        return self.identity[0]


class ModelStore:
    """Serves the model at `link`, reloading it when the link is repointed."""

    def __init__(
        self,
        link: Path,
        *,
        load: Callable[[Path], Recommender] = Recommender.from_artifact,
        check_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.link = Path(link)
        self._load = load
        self._check_every = check_every
        self._clock = clock
        self._current: LoadedModel | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self._loading = False
        self._failed: tuple[Identity, str] | None = None
        """The last identity that failed to load and why: not retried until the link changes."""

    def get(self) -> LoadedModel:
        """The model to serve now; NoPublishedModel or ModelUnavailable when there is none."""
        current = self._current
        if current is None:
            return self._load_first()
        now = self._clock()
        if now - self._checked_at >= self._check_every:
            self._checked_at = now
            self._look_for_new(current)
        return self._current or current

    @property
    def current(self) -> LoadedModel | None:
        """The loaded model, without loading or checking anything."""
        return self._current

    @property
    def last_error(self) -> str | None:
        """Why the most recent load failed, while that model is still the published one."""
        return self._failed[1] if self._failed else None

    def _identity(self) -> Identity | None:
        target = os.path.realpath(self.link)
        try:
            return (target, os.stat(os.path.join(target, "manifest.json")).st_mtime_ns)
        except OSError:
            return None

    def _load_first(self) -> LoadedModel:
        with self._lock:
            if self._current is not None:
                return self._current
            identity = self._identity()
            if identity is None:
                raise NoPublishedModel(
                    f"no model is published at {self.link}; train one with `movierec train` "
                    "and publish it with `movierec publish RUN_DIR`"
                )
            if self._failed and self._failed[0] == identity:
                raise ModelUnavailable(self._failed[1])
            self._current = self._try_load(identity)
            if self._current is None:
                raise ModelUnavailable(self._failed[1] if self._failed else "load failed")
            self._checked_at = self._clock()
            return self._current

    def _look_for_new(self, current: LoadedModel) -> None:
        identity = self._identity()
        # A vanished link keeps the old model serving: it is a mistake to report, not to obey.
        if identity is None or identity == current.identity:
            return
        with self._lock:
            if self._loading or (self._failed and self._failed[0] == identity):
                return
            self._loading = True
        threading.Thread(
            target=self._swap, args=(identity,), name="model-reload", daemon=True
        ).start()

    def _swap(self, identity: Identity) -> None:
        try:
            loaded = self._try_load(identity)
            if loaded is not None:
                self._current = loaded
                log.info("now serving the model at %s", identity[0])
        finally:
            with self._lock:
                self._loading = False

    def _try_load(self, identity: Identity) -> LoadedModel | None:
        started = time.perf_counter()
        try:
            engine = self._load(Path(identity[0]))
        except Exception as error:
            # Whatever went wrong, the old model must keep serving; the log keeps the traceback.
            reason = f"the model at {identity[0]} failed to load: {error}"
            log.exception("%s; still serving the previous model, if any", reason)
            self._failed = (identity, reason)
            return None
        self._failed = None
        log.info("loaded the model at %s in %.2f s", identity[0], time.perf_counter() - started)
        return LoadedModel(engine, identity, datetime.now(UTC))
