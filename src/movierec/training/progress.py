"""What a person watching training sees: on a terminal, a bar through each epoch; anywhere, one
plain line per finished epoch. Both name the phase, the epoch out of the most it may run and the
time the phase has left.

Off a terminal (a log file, a pipe, a test) there is no bar at all: its redraws would fill the
file with carriage returns."""

import statistics
import sys
import time
from collections.abc import Sequence
from typing import SupportsFloat

from tqdm import tqdm

BAR_REDRAWS = 50
"""Redraws of a bar per epoch, at most: reading the loss waits for the device each time."""


def to_stderr(line: str) -> None:
    """Print `line` on stderr, where progress goes (stdout stays for results)."""
    print(line, file=sys.stderr, flush=True)


def heading(phase: str, epoch: int, epochs: int, *, may_stop_early: bool) -> str:
    """"rating head, 3 members: epoch 3 of at most 40" ("of 40" when it cannot stop early)."""
    most = "at most " if may_stop_early else ""
    return f"{phase}: epoch {epoch} of {most}{epochs}"


def time_left(seconds: float, *, may_stop_early: bool) -> str:
    """"phase ETA 4m10s", or "phase ETA at most 4m10s" when early stopping may end it sooner."""
    most = "at most " if may_stop_early else ""
    return f"phase ETA {most}{duration(seconds)}"


def phase_seconds_left(epoch_seconds: Sequence[float], epochs_left: int) -> float:
    """The median epoch so far times the epochs left: one slow first epoch (warm-up, a busy
    machine) does not skew it."""
    return statistics.median(epoch_seconds) * epochs_left if epochs_left else 0.0


def duration(seconds: float) -> str:
    """"45s", "4m10s", "1h05m"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


class EpochBar:
    """A bar through one epoch's batches on a terminal (stderr): tqdm's own count, rate and time
    left for the epoch, then the loss and the whole phase's time left."""

    def __init__(self, title: str, batches: int, *, finished: Sequence[float],
                 epochs_after: int, may_stop_early: bool, enabled: bool) -> None:
        """`finished`: the seconds of the phase's finished epochs; `epochs_after`: how many may
        follow this one; `enabled`: progress is wanted (the bar still needs a terminal)."""
        self._bar = tqdm(total=batches, desc=title, unit="batch", leave=False,
                         dynamic_ncols=True, disable=not (enabled and sys.stderr.isatty()))
        self._every = max(1, batches // BAR_REDRAWS)
        self._finished, self._epochs_after = list(finished), epochs_after
        self._may_stop_early = may_stop_early
        self._started = time.perf_counter()

    def update(self, done: int, loss: SupportsFloat) -> None:
        """`done` batches of the epoch are done, the last with this loss."""
        if self._bar.disable or (done % self._every and done != self._bar.total):
            return
        elapsed = time.perf_counter() - self._started
        this_epoch = elapsed * self._bar.total / done
        # Before any epoch has finished, this one's pace stands in for the epochs after it.
        per_epoch = statistics.median(self._finished) if self._finished else this_epoch
        left = this_epoch - elapsed + per_epoch * self._epochs_after
        self._bar.n = done
        self._bar.set_postfix_str(
            f"loss {float(loss):.4f}, {time_left(left, may_stop_early=self._may_stop_early)}",
            refresh=True)

    def close(self) -> None:
        """Take the bar off the screen; the epoch's line follows."""
        self._bar.close()
