"""Fetching posters in the background: a few threads, a bounded set of pending movies, and a
pause after TMDB fails, so a slow or absent TMDB never holds up a page or piles up work."""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)


class FetchFailed(Exception):
    """The fetch could not reach its source; the fetcher pauses before trying others."""


class PosterFetcher:
    """Runs `fetch(movie_id)` in background threads, at most once at a time per movie."""

    def __init__(
        self,
        fetch: Callable[[int], None],
        *,
        workers: int,
        max_pending: int = 256,
        pause_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="posters")
        self._max_pending = max_pending
        self._pause_seconds = pause_seconds
        self._clock = clock
        self._pending: set[int] = set()
        self._lock = threading.Lock()
        self._paused_until = float("-inf")

    @property
    def paused(self) -> bool:
        return self._clock() < self._paused_until

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is pending (tests, shutdown); False if still busy at `timeout`."""
        deadline = self._clock() + timeout
        while self.pending():
            if self._clock() >= deadline:
                return False
            time.sleep(0.01)
        return True

    def request(self, movie_ids: Iterable[int]) -> None:
        """Queue the movies not already queued; returns at once. Dropped while paused or full:
        a later page view asks again."""
        if self.paused:
            return
        with self._lock:
            wanted = [movie for movie in movie_ids if movie not in self._pending]
            wanted = wanted[: max(0, self._max_pending - len(self._pending))]
            self._pending.update(wanted)
        for movie_id in wanted:
            self._executor.submit(self._run, movie_id)

    def _run(self, movie_id: int) -> None:
        try:
            if not self.paused:
                self._fetch(movie_id)
        except FetchFailed as error:
            self._paused_until = self._clock() + self._pause_seconds
            log.warning("poster fetch paused for %.0f s: %s", self._pause_seconds, error)
        except Exception:
            log.exception("fetching the poster of movie %s failed", movie_id)
        finally:
            with self._lock:
                self._pending.discard(movie_id)
