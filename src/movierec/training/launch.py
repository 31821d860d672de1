"""`movierec train --nproc N`: N workers on this machine, started the way `torchrun
--standalone` starts them (PyTorch's elastic agent, a rendezvous on a free local port), each
running `python -m movierec train` with the same arguments.

The agent watches the workers: when one dies the others are stopped at once (none is left
waiting in a collective), and Ctrl-C reaches every worker through it, once, so they stop
together after the same batch and the first one saves the checkpoint. What went wrong is said
here in a sentence; torch's own log lines about it are silenced.
"""

import logging
import os
import signal
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from movierec.errors import MovieRecError, UsageError
from movierec.training.checkpoint import CHECKPOINT

SHUTDOWN_SECONDS = 120
"""How long stopping workers may take to finish their batch and save the checkpoint before the
agent kills them."""
NPROC_VARIABLE = "MOVIEREC_NPROC"
"""Tells a worker it was started by `--nproc N` (so its messages can show that command)."""
INTERRUPTED_EXIT = 130


class WorkerFailed(MovieRecError):
    """A worker died or failed, and the run stopped on every worker."""


def launch_local(nproc: int, arguments: Sequence[str], *, threads: int, out: Path) -> int:
    """Run `movierec train *arguments` on `nproc` local workers; the exit status of the run
    (0, or INTERRUPTED_EXIT after Ctrl-C); WorkerFailed when a worker failed."""
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    config = LaunchConfig(
        min_nodes=1, max_nodes=1, nproc_per_node=nproc, run_id=str(uuid.uuid4()),
        rdzv_backend="c10d", rdzv_endpoint="localhost:0", max_restarts=0,
        monitor_interval=0.1, start_method="spawn", shutdown_timeout=SHUTDOWN_SECONDS,
    )
    # Threads per worker are set by the worker itself; OpenMP reads this when torch loads.
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ[NPROC_VARIABLE] = str(nproc)
    logging.getLogger("torch.distributed.elastic").setLevel(logging.CRITICAL)
    try:
        elastic_launch(config, sys.executable)("-u", "-m", "movierec", "train", *arguments)
    except SignalException:
        # Ctrl-C: the agent passed it on; the first worker said where it stopped.
        return INTERRUPTED_EXIT
    except ChildFailedError as error:
        rank, failure = error.get_first_failure()
        if failure.exitcode in (INTERRUPTED_EXIT, UsageError.exit_code):
            # Stopped by Ctrl-C, or a wrong argument the worker has already explained.
            return failure.exitcode
        raise WorkerFailed(_failure_message(rank, nproc, failure.exitcode, out)) from None
    return 0


def _failure_message(rank: int, nproc: int, exitcode: int, out: Path) -> str:
    if exitcode < 0:
        try:
            how = f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        how = f"failed with exit status {exitcode} (its message is above)"
    message = f"worker {rank} of {nproc} {how}; the run stopped on every worker"
    if (out / CHECKPOINT).exists():
        message += (f". The checkpoint of the last finished epoch is in {out}: continue with "
                    "the same command and --resume")
    return message
