"""Averaging the workers' gradients before each optimiser step, with the embedding tables in
mind.

Two kinds of parameters, two ways:
- **the dense layers** (towers, title CNN, small code tables) go in one flat buffer that is
  all-reduced, as DDP does with its buckets (the whole dense part is far below one DDP bucket,
  and a step's gradient is complete before the sum starts, so there is nothing to overlap).
- **the tables** (the id embeddings, whose gradients are sparse; the history tables and the id
  biases, whose gradients are dense but zero outside the rows the step read; any parameter of
  `TABLE_ROWS` rows or more) send only the rows a worker's step touched, as (row, gradient)
  pairs all-gathered from every worker and summed row by row. At ML-32M the tables hold 36
  million numbers (about 150 MB) while a step touches a few per cent of their rows. Where a
  step touches most of a table anyway (a batch of 1,024 ratings x 32 history draws reads nearly
  all of ML-1M's 6,040 users) the row numbers only add weight: such a table is all-reduced
  whole in the flat buffer instead. Which way each table goes is decided once, at the first
  step, from the rows every worker touched then, and is the same on every worker.

Everything travels as bfloat16 (the row numbers reinterpreted, not rounded), as DDP's
`bf16_compress_hook` sends it: half the bytes, and a relative error of 2^-8 per number, far
below the noise of the batch itself. The sums are formed in the same order on every worker
(all-reduce, then rank by rank, rows sorted by `coalesce`), so every worker holds the same
gradient to the last bit and the weights never drift apart.

A step's three messages also carry whether any worker was asked to stop (`agree`), so the
workers stop after the same batch without a message of their own. Bytes and seconds are
counted for the run's metrics and `benchmarks/train_scaling.py`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from movierec.model.history import RatingHistory
from movierec.training.workers import Workers

TABLE_ROWS = 1000
"""Parameters with at least this many rows are synchronised as tables."""
WIRE = torch.bfloat16
"""What the gradients travel as."""
INDEX_WORDS = 4
"""bfloat16 numbers one int64 row number occupies when reinterpreted."""


@dataclass
class SyncFigures:
    """What the sums cost so far: steps, bytes this worker sent, and seconds spent in them
    (waiting for the slowest worker included)."""

    steps: int = 0
    dense_bytes: int = 0
    """Sent for the all-reduced buffer: 2 (N - 1) / N of it, as a ring all-reduce sends."""
    table_bytes: int = 0
    """Sent for the tables' rows: this worker's (padded) rows to each of the N - 1 others."""
    seconds: float = 0.0

    def per_step(self) -> dict[str, float]:
        steps = max(self.steps, 1)
        return {"bytes_per_step": (self.dense_bytes + self.table_bytes) / steps,
                "dense_bytes_per_step": self.dense_bytes / steps,
                "table_bytes_per_step": self.table_bytes / steps,
                "seconds_per_step": self.seconds / steps}


class GradientSync:
    """The gradient average of one network's parameters across `workers` (nothing alone)."""

    def __init__(self, network: nn.Module, workers: Workers) -> None:
        self.workers = workers
        sparse = {id(module.weight) for module in network.modules()
                  if isinstance(module, nn.Embedding | nn.EmbeddingBag) and module.sparse}
        parameters = [p for p in network.parameters() if p.requires_grad]
        self.tables = [p for p in parameters
                       if id(p) in sparse or (p.ndim in (1, 2) and len(p) >= TABLE_ROWS)]
        self.sparse = [id(p) in sparse for p in self.tables]
        table_ids = {id(p) for p in self.tables}
        self.dense = [p for p in parameters if id(p) not in table_ids]
        self.histories = [module for module in network.modules()
                          if isinstance(module, RatingHistory)]
        self.whole: list[bool] | None = None
        """Per table: all-reduced whole (True) or sent as rows; decided at the first step."""
        self._flat: Tensor | None = None
        """The all-reduced buffer, kept from step to step."""
        self.asking = False
        self.agreed = False
        self.figures = SyncFigures()

    def agree(self, asking: bool) -> bool:
        """Given whether this worker was asked to stop, whether the workers agree to stop:
        the request travels with the next step's messages, so every worker learns it at the
        same batch."""
        self.asking = asking
        return self.agreed

    def __call__(self) -> None:
        """Replace every parameter's gradient by the mean over the workers' gradients."""
        if not self.workers.joined:
            return
        started = time.perf_counter()
        whole = self.whole if self.whole is not None else self._decide()
        # The all-reduced buffer is the largest message: it travels in the background while
        # the small ones are exchanged.
        flat_parameters = self.dense + [table for table, entire
                                        in zip(self.tables, whole, strict=True) if entire]
        had = [p.grad is not None for p in flat_parameters]
        summed = self._start_flat(flat_parameters)
        rows = {t: self._touched(table, sparse) for t, (table, sparse, entire)
                in enumerate(zip(self.tables, self.sparse, whole, strict=True)) if not entire}
        # One small message says what each worker has: rows touched per table sent as rows,
        # which parameters of the buffer have a gradient at all (one that none has keeps None,
        # as alone), the rows each history read (its refreshes are due by all workers'
        # reads), and whether it was asked to stop.
        mine = torch.tensor([len(part[0]) for part in rows.values()] + [int(flag) for flag in had]
                            + [history.unshared_read() for history in self.histories]
                            + [int(self.asking)], dtype=torch.int64)
        counts = torch.stack(self.workers.gather(mine))  # (N, values)
        touched, counts = counts[:, :len(rows)], counts[:, len(rows):]
        used, counts = counts[:, :len(had)].sum(dim=0) > 0, counts[:, len(had):]
        for history, rows_read in zip(self.histories, counts[:, :-1].sum(dim=0).tolist(),
                                      strict=True):
            history.count_read(rows_read)
        self.agreed = bool(counts[:, -1].any())
        self._sum_rows(list(rows.items()), touched)
        self._finish_flat(flat_parameters, summed(), used.tolist())
        self.figures.steps += 1
        self.figures.seconds += time.perf_counter() - started

    def _decide(self) -> list[bool]:
        """At the first step: which tables go whole, from the rows every worker touched."""
        mine = torch.tensor([len(self._touched(table, sparse)[0])
                             for table, sparse in zip(self.tables, self.sparse, strict=True)],
                            dtype=torch.int64)
        most = torch.stack(self.workers.gather(mine)).max(dim=0).values.tolist()
        self.whole = [not sparse and self._cheaper_whole(table, rows)
                      for table, sparse, rows in zip(self.tables, self.sparse, most, strict=True)]
        return self.whole

    def _touched(self, table: Tensor, sparse: bool) -> tuple[Tensor, Tensor]:
        """(K,) rows of `table` this worker's step touched and (K, ...) their gradient."""
        grad = table.grad
        if grad is None:
            return (torch.zeros(0, dtype=torch.int64, device=table.device),
                    table.new_zeros((0, *table.shape[1:])))
        if sparse:
            grad = grad.coalesce()
            return grad.indices()[0], grad.values()
        index = grad.reshape(len(grad), -1).ne(0).any(dim=1).nonzero().squeeze(1)
        return index, grad[index]

    def _cheaper_whole(self, table: Tensor, most_rows: int) -> bool:
        """Whether all-reducing the whole table sends fewer bytes than gathering its rows."""
        count = self.workers.count
        row_words = table[0].numel()
        gathered = (count - 1) * most_rows * (row_words + INDEX_WORDS)
        reduced = 2 * (count - 1) / count * len(table) * row_words
        return reduced <= gathered

    def _start_flat(self, parameters: list[Tensor]) -> Callable[[], Tensor]:
        """Start the all-reduce of these parameters' gradients (zeros where a worker has
        none) as one buffer; the returned function waits for the sum."""
        total = sum(p.numel() for p in parameters)
        if self._flat is None or len(self._flat) != total:
            device = parameters[0].device if parameters else torch.device("cpu")
            self._flat = torch.empty(total, dtype=WIRE, device=device)
        offset = 0
        for parameter in parameters:
            part = self._flat[offset:offset + parameter.numel()]
            if parameter.grad is None:
                part.zero_()
            else:
                part.copy_(parameter.grad.reshape(-1))
            offset += parameter.numel()
        count = self.workers.count
        self.figures.dense_bytes += int(2 * (count - 1) / count * total
                                        * self._flat.element_size())
        return self.workers.start_sum(self._flat)

    def _finish_flat(self, parameters: list[Tensor], flat: Tensor, used: list[bool]) -> None:
        """Give each parameter its mean of the summed buffer (None where no worker had one)."""
        mean = flat.float().div_(self.workers.count)
        offset = 0
        for parameter, flag in zip(parameters, used, strict=True):
            size = parameter.numel()
            parameter.grad = mean[offset:offset + size].view_as(parameter) if flag else None
            offset += size

    def _sum_rows(self, chosen: list[tuple[int, tuple[Tensor, Tensor]]],
                  touched: Tensor) -> None:
        """All-gather the touched rows of the `chosen` tables, in one message, and sum them;
        `touched`: (N, chosen) the rows each worker touched in each."""
        if not chosen:
            return
        workers = self.workers
        positions = [t for t, _ in chosen]
        per_worker = touched
        widths = torch.tensor([self.tables[t][0].numel() for t in positions])
        longest = int((per_worker * (widths + INDEX_WORDS)).sum(dim=1).max())
        if not longest:  # no worker touched any of them
            for t in positions:
                self.tables[t].grad = None
            return
        device = self.tables[positions[0]].device
        message = torch.zeros(longest, dtype=WIRE, device=device)
        # Row numbers first (reinterpreted, 4 words each), then the gradients' rows.
        indices = torch.cat([rows for _, (rows, _) in chosen])
        message[:INDEX_WORDS * len(indices)] = indices.view(WIRE)
        values = torch.cat([grads.reshape(-1) for _, (_, grads) in chosen]).to(WIRE)
        start = INDEX_WORDS * len(indices)
        message[start:start + len(values)] = values
        received = workers.gather(message)
        self.figures.table_bytes += (workers.count - 1) * message.numel() * message.element_size()
        for position, t in enumerate(positions):
            table = self.tables[t]
            all_rows, all_values = [], []
            for rank in range(workers.count):
                counts = per_worker[rank]
                total = int(counts.sum())
                before = int(counts[:position].sum())
                value_start = INDEX_WORDS * total + int((counts[:position] * widths[:position])
                                                        .sum())
                length, width = int(counts[position]), int(widths[position])
                part = received[rank]
                all_rows.append(part[INDEX_WORDS * before:INDEX_WORDS * (before + length)]
                                .clone().view(torch.int64))
                all_values.append(part[value_start:value_start + length * width].float()
                                  .view(length, *table.shape[1:]))
            self._set_mean(t, torch.cat(all_rows), torch.cat(all_values))

    def _set_mean(self, t: int, rows: Tensor, values: Tensor) -> None:
        """Make the table's gradient the mean over the workers of the rows they sent."""
        table = self.tables[t]
        if not len(rows):
            table.grad = None
            return
        summed = torch.sparse_coo_tensor(rows.unsqueeze(0), values / self.workers.count,
                                         table.shape, check_invariants=False).coalesce()
        if self.sparse[t]:
            table.grad = summed
        else:
            grad = torch.zeros_like(table)
            grad[summed.indices()[0]] = summed.values()
            table.grad = grad
