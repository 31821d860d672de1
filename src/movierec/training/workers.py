"""The processes one run trains on: alone (the usual case), or several workers joined by
`torch.distributed`, started by `torchrun` or by `movierec train --nproc N`
(`movierec.training.launch`).

Data parallel: every worker holds the whole network and the whole prepared data (the rating
histories read every rating), trains a batch of the preset's size from its share of each
epoch's shuffled order, and the gradients are averaged across workers before every optimiser
step (`movierec.training.gradient_sync`), so every worker takes the same step and the weights
stay the same everywhere. N workers take N batches a step, as DDP does: a step's fixed costs
(the dense update of the history tables, its messages) are paid once for N batches, which is
what lets two workers beat one on a machine of two cores (docs/scaling.md).

A `Workers` of one process does nothing at all: every method below is then the identity, so a
one-process run is exactly what it was before there were workers.
"""

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist
from torch import Tensor

from movierec.errors import UsageError

TIMEOUT = timedelta(minutes=10)
"""How long a collective waits for a worker that does not come: longer than rank 0 takes to
write a checkpoint of the largest release, short enough that a lost machine ends the run."""


@dataclass(frozen=True)
class Workers:
    """This process's place among the run's workers, and the collectives they use."""

    rank: int
    count: int
    device: torch.device
    local_count: int = 1
    """Workers on this machine (they share its CPUs)."""

    @classmethod
    def alone(cls, device: torch.device) -> "Workers":
        return cls(0, 1, device)

    @property
    def joined(self) -> bool:
        """Whether there are other workers (and so a process group)."""
        return self.count > 1

    @property
    def writes(self) -> bool:
        """Whether this worker writes the run folder: checkpoints, logs, curves, the artifact."""
        return self.rank == 0

    @property
    def backend(self) -> str:
        return "nccl" if self.device.type == "cuda" else "gloo"

    def shard(self, batch: int) -> slice:
        """This worker's part of a global batch of `batch` rows (a batch of the preset's size
        for each worker): an equal share for each, the few rows of an epoch's last batch that
        do not divide evenly left out (they come back in a later epoch's shuffle); an empty
        slice when the batch has fewer rows than there are workers."""
        if not self.joined:
            return slice(0, batch)
        share = batch // self.count
        return slice(self.rank * share, (self.rank + 1) * share)

    def sum(self, values: Tensor) -> Tensor:
        """`values` summed over the workers, in place (and returned)."""
        if self.joined:
            local = self._to_group(values)
            dist.all_reduce(local, op=dist.ReduceOp.SUM)
            if local is not values:
                values.copy_(local)
        return values

    def start_sum(self, values: Tensor) -> Callable[[], Tensor]:
        """Start summing `values` over the workers in the background; the returned function
        waits for the sum and returns it (in `values`, in place)."""
        if not self.joined:
            return lambda: values
        local = self._to_group(values)
        work = dist.all_reduce(local, op=dist.ReduceOp.SUM, async_op=True)

        def finish() -> Tensor:
            work.wait()
            if local is not values:
                values.copy_(local)
            return values

        return finish

    def sum_floats(self, values: list[float]) -> list[float]:
        """Python floats summed over the workers (in float64)."""
        if not self.joined:
            return values
        return self.sum(torch.tensor(values, dtype=torch.float64)).tolist()

    def gather(self, value: Tensor) -> list[Tensor]:
        """Every worker's `value` (the same shape on each), in rank order."""
        if not self.joined:
            return [value]
        local = self._to_group(value.contiguous())
        parts = [torch.empty_like(local) for _ in range(self.count)]
        dist.all_gather(parts, local)
        return [part.to(value.device) for part in parts]

    def gather_rows(self, compute: Callable[[Tensor], Tensor], indices: Tensor) -> Tensor:
        """`compute(indices)`, (N, ...), with the work shared: each worker computes a
        contiguous share of the indices and the shares are gathered everywhere."""
        if not self.joined:
            return compute(indices)
        return torch.cat(self.gather(compute(self._share_of(indices))))[:len(indices)]

    def _share_of(self, indices: Tensor) -> Tensor:
        """This worker's share of `indices`. Every share is as long (the last ones padded with
        the last index), as all_gather needs, and so that every worker computes as many rows:
        what a computation counts (the rows a history has read since its refresh) stays the
        same on all of them."""
        share = max(-(-len(indices) // self.count), 1)
        start = min(self.rank * share, len(indices))
        mine = indices[start:start + share]
        if len(mine) < share:
            filler = indices[-1:] if len(indices) else indices.new_zeros(1)
            mine = torch.cat([mine, filler.expand(share - len(mine))])
        return mine

    def broadcast_parameters(self, module: torch.nn.Module) -> None:
        """Rank 0's weights everywhere, as DDP does when it wraps a module: the workers start
        from the same point even where their initialisations could differ."""
        if not self.joined:
            return
        with torch.no_grad():
            for parameter in module.parameters():
                value = self._to_group(parameter.data)
                dist.broadcast(value, src=0)
                parameter.data.copy_(value)

    def share_bytes(self, read: Callable[[], bytes]) -> bytes:
        """`read()` on rank 0 (the only worker that holds the run folder on a cluster), its
        bytes sent to every worker; a UsageError of `read` on rank 0 is raised everywhere."""
        if not self.joined:
            return read()
        payload, failure = b"", None
        if self.rank == 0:
            try:
                payload = read()
            except UsageError as error:
                failure = error
        size = self._to_group(torch.tensor([-1 if failure else len(payload)]))
        dist.broadcast(size, src=0)
        if failure is not None:
            raise failure
        if int(size.item()) < 0:
            raise UsageError("worker 0 could not read the run's checkpoint; its message says "
                             "why")
        buffer = (torch.frombuffer(bytearray(payload), dtype=torch.uint8) if self.rank == 0
                  else torch.empty(int(size.item()), dtype=torch.uint8))
        buffer = self._to_group(buffer)
        dist.broadcast(buffer, src=0)
        return payload if self.rank == 0 else buffer.cpu().numpy().tobytes()

    def _to_group(self, value: Tensor) -> Tensor:
        """`value` where the backend can send it: NCCL sends only tensors on the GPU."""
        return value.to(self.device) if self.device.type == "cuda" else value


def worker_environment() -> tuple[int, int, int, int] | None:
    """(rank, world size, local rank, local world size) when torchrun started this process as
    one of several workers, else None."""
    if "WORLD_SIZE" not in os.environ or "RANK" not in os.environ:
        return None
    try:
        place = (int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]),
                 int(os.environ.get("LOCAL_RANK", "0")),
                 int(os.environ.get("LOCAL_WORLD_SIZE", "1")))
    except ValueError:
        raise UsageError("RANK, WORLD_SIZE, LOCAL_RANK and LOCAL_WORLD_SIZE must be whole "
                         "numbers (torchrun sets them)") from None
    return place if place[1] > 1 else None


def join_workers(device: torch.device) -> Workers:
    """This process's `Workers`: alone, or (under torchrun) joined to the others through a
    process group over gloo (CPU) or NCCL (CUDA), each CUDA worker on its own GPU."""
    place = worker_environment()
    if place is None:
        return Workers.alone(device)
    rank, count, local_rank, local_count = place
    if device.type == "cuda":
        if local_rank >= torch.cuda.device_count():
            raise UsageError(
                f"worker {rank} is local worker {local_rank} but this machine has "
                f"{torch.cuda.device_count()} GPU(s); start at most one worker per GPU")
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    _die_with_parent()
    workers = Workers(rank, count, device, local_count)
    dist.init_process_group(workers.backend, timeout=TIMEOUT,
                            device_id=device if device.type == "cuda" else None)
    return workers


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the agent that started it dies: the agent starts
    workers in a session of their own, so nothing else would stop them if it were killed."""
    if sys.platform != "linux":
        return
    set_parent_death_signal = 1  # PR_SET_PDEATHSIG
    ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGTERM)


def leave_workers(workers: Workers) -> None:
    """Close the process group, once the run is over."""
    if workers.joined and dist.is_initialized():
        dist.destroy_process_group()


def draw_apart(workers: Workers, seed: int) -> None:
    """Once the weights are made (the same on every worker), reseed torch on every worker but
    the first, so that each draws its own dropout masks and history samples; worker 0 keeps
    the run's own stream, so a run of one is what it always was."""
    if workers.rank:
        torch.manual_seed((seed * 1_000_003 + workers.rank) % (2**63 - 1))
