"""The rating-history feature of one tower (SVD++-like): for a row (a user, or a movie), the mean
over its training ratings of `implicit[other] + centred rating * explicit[other]`, where `other`
is the movie rated (the user who rated it).

Reading a whole history costs its length: a batch of ratings of popular movies would read every
rater of every one of them at each step, so the cost of a step would grow with popularity
rather than with the batch. In training, the feature's gradient therefore comes from at most
`sample` ratings of each row, drawn afresh at every step (uniformly, with replacement; a row
with no more than `sample` ratings is read whole): an unbiased estimate of the whole mean's
gradient, and every embedding row still learns from the steps that draw it.

Its value in training is the whole mean as of the last refresh, recomputed for every row
`refreshes` times an epoch (a pass over all ratings, so its cost per rating stays flat): the
towers learn from exact features, as they will see them in evaluation, while the sample's
gradient keeps the embeddings moving between refreshes. With `refreshes` = 0 the value is the
sampled mean itself (cheaper, noisier). Evaluation always reads every rating, exactly.
"""

from collections.abc import Callable
from typing import Protocol

import torch
from torch import Tensor, nn

from movierec.model.tables import History

CHUNK = 1 << 14
"""Rows summed at once when refreshing: bounds the memory of a refresh on large releases."""


class SharedWork(Protocol):
    """The run's workers, as a history sees them (`movierec.training.workers.Workers`): with
    several, each refreshes a share of the rows and all receive every row."""

    count: int

    def gather_rows(self, compute: Callable[[Tensor], Tensor], indices: Tensor) -> Tensor: ...


class RatingHistory(nn.Module):
    """(B, width) history features of B rows of one side."""

    def __init__(self, others: int, width: int, sample: int, refreshes: int = 0) -> None:
        """`others`: rows of the other side (the embedding tables' size); `sample`: ratings
        whose gradient a training step reads per row (0: all of them); `refreshes`: times per
        epoch the exact means are recomputed (0: the sampled mean is the value)."""
        super().__init__()
        # Dense gradients: merging the batch x sample rows of sparse ones costs more than
        # updating the whole tables (docs/training-speed.md, "tried and dropped").
        self.implicit = nn.EmbeddingBag(others, width, mode="sum")
        self.explicit = nn.EmbeddingBag(others, width, mode="sum")
        self.sample, self.refreshes = sample, refreshes
        self.offset = 0.0
        """The mean the ratings are centred on."""
        empty = History(torch.zeros(1, dtype=torch.int64), torch.zeros(0, dtype=torch.int64),
                        torch.zeros(0))
        for name, values in empty._asdict().items():
            self.register_buffer(name, values, persistent=False)
        self.cache: dict[str, Tensor] = {}
        """The last refresh: "sums" (rows, H) of every row's whole history, and the tables it
        read ("implicit", "explicit"), for taking a pair's own rating out of it."""
        self.rows_read = 0
        """Rows read in training since the last refresh (among several workers: by all of
        them as of the last step's messages, plus this one's since)."""
        self.counted_read = 0
        """Among several workers: the rows all of them had read at the last step's messages."""
        self.workers: SharedWork | None = None

    def share_work(self, workers: SharedWork) -> None:
        """Train among `workers`: a refresh is shared among them, and is due when the rows
        all of them read (`count_read`) call for one, so that all refresh at the same step."""
        self.workers = workers

    def unshared_read(self) -> int:
        """Rows this worker read since the last step's messages."""
        return self.rows_read - self.counted_read

    def count_read(self, rows: int) -> None:
        """Add `rows`, the rows every worker read since the last step's messages."""
        self.counted_read += rows
        self.rows_read = self.counted_read

    def use(self, history: History, offset: float) -> None:
        """Read `history` (ratings centred on `offset`) from now on."""
        device = self.indptr.device
        self.indptr, self.others, self.centred = (part.to(device) for part in history)
        self.offset = offset
        self.cache, self.rows_read, self.counted_read = {}, 0, 0

    def forward(self, rows: Tensor, leave_out: tuple[Tensor, Tensor] | None = None) -> Tensor:
        """(B, width) features of the rows at `rows` (B,).

        `leave_out` = (others, ratings), each (B,): row i's rating of `others[i]` is a training
        pair whose rating the feature must not contain (the network may not read the answer
        from its input), so it is left out of row i's history.
        """
        if not (self.training and self.sample):
            return self._exact(rows, leave_out)
        sampled = self._sampled(rows, leave_out)
        if not self.refreshes:
            return sampled
        # Alone, what this process read decides; among workers, what all had read at the last
        # step's messages, which every worker knows alike.
        read = self.rows_read if self.workers is None else self.counted_read
        if not self.cache or read * self.refreshes >= len(self.others):
            self.refresh()
        self.rows_read += len(rows)
        # The value is the refreshed whole mean; the gradient is the sample's.
        return self._cached(rows, leave_out) + sampled - sampled.detach()

    def refresh(self) -> None:
        """Recompute every row's whole history sum from the current embeddings."""
        def sums_of(rows: Tensor) -> Tensor:
            return torch.cat([self._sums(rows[start:start + CHUNK])[0]
                              for start in range(0, len(rows), CHUNK)])

        with torch.no_grad():
            rows = torch.arange(len(self.indptr) - 1, device=self.indptr.device)
            sums = (self.workers.gather_rows(sums_of, rows) if self.workers is not None
                    else sums_of(rows))
            self.cache = {"sums": sums, "implicit": self.implicit.weight.detach().clone(),
                          "explicit": self.explicit.weight.detach().clone()}
        self.rows_read = self.counted_read = 0

    def training_state(self) -> dict[str, Tensor]:
        """What a checkpoint needs to continue exactly: the cache and how stale it is."""
        return {**self.cache, "rows_read": torch.tensor(self.rows_read)}

    def load_training_state(self, state: dict[str, Tensor]) -> None:
        device = self.indptr.device
        self.rows_read = self.counted_read = int(state["rows_read"])
        self.cache = {name: value.to(device) for name, value in state.items()
                      if name != "rows_read"}

    def _exact(self, rows: Tensor, leave_out: tuple[Tensor, Tensor] | None) -> Tensor:
        distinct, positions = torch.unique(rows, return_inverse=True)  # (N,), (B,)
        sums, counts = self._sums(distinct)  # (N, H), (N,)

        def own_embeddings(others: Tensor) -> tuple[Tensor, Tensor]:
            return self.implicit(others.unsqueeze(1)), self.explicit(others.unsqueeze(1))

        return self._mean(sums[positions], counts[positions], leave_out, own_embeddings)

    def _cached(self, rows: Tensor, leave_out: tuple[Tensor, Tensor] | None) -> Tensor:
        """(B, H) whole means as of the last refresh, own ratings left out."""
        counts = (self.indptr[rows + 1] - self.indptr[rows]).float()  # (B,)

        def own_embeddings(others: Tensor) -> tuple[Tensor, Tensor]:
            return self.cache["implicit"][others], self.cache["explicit"][others]

        return self._mean(self.cache["sums"][rows], counts, leave_out, own_embeddings)

    def _mean(self, sums: Tensor, counts: Tensor, leave_out: tuple[Tensor, Tensor] | None,
              own_embeddings: Callable[[Tensor], tuple[Tensor, Tensor]]) -> Tensor:
        """(B, H) means of whole-history sums (B, H) over `counts` (B,), each pair's own
        rating taken out first, its embeddings read by `own_embeddings`."""
        if leave_out is not None:
            others, ratings = leave_out
            implicit, explicit = own_embeddings(others)  # (B, H) each
            sums = sums - implicit - (ratings - self.offset).unsqueeze(1) * explicit
            counts = counts - 1
        return sums / counts.clamp(min=1).unsqueeze(1)

    def _sums(self, rows: Tensor) -> tuple[Tensor, Tensor]:
        """(N, H) sums over each row's whole history, and (N,) the history lengths."""
        starts = self.indptr[rows]  # (N,)
        lengths = self.indptr[rows + 1] - starts  # (N,)
        offsets = lengths.cumsum(0) - lengths  # (N,): where each row's bag starts
        entries = (torch.repeat_interleave(starts - offsets, lengths)
                   + torch.arange(int(lengths.sum()), device=rows.device))  # (R_rows,)
        others, centred = self.others[entries], self.centred[entries]
        sums = (self.implicit(others, offsets)
                + self.explicit(others, offsets, per_sample_weights=centred))  # (N, H)
        return sums, lengths.to(sums.dtype)

    def _sampled(self, rows: Tensor, leave_out: tuple[Tensor, Tensor] | None) -> Tensor:
        """(B, H) means over `sample` drawn ratings of each row (all of a short row's)."""
        starts = self.indptr[rows].unsqueeze(1)  # (B, 1)
        lengths = self.indptr[rows + 1].unsqueeze(1) - starts  # (B, 1)
        slots = torch.arange(self.sample, device=rows.device)  # (S,)
        drawn = (torch.rand(len(rows), self.sample, device=rows.device) * lengths).long()
        picks = torch.where(lengths <= self.sample, slots, drawn.clamp(max=lengths - 1))
        valid = slots < lengths  # (B, S): a short row fills only its first slots
        entries = (starts + picks).clamp(max=max(len(self.others) - 1, 0))  # (B, S)
        others, centred = self.others[entries], self.centred[entries]  # (B, S) each
        if leave_out is not None:
            # Draws of the pair's own rating are dropped; the rest are uniform over the others.
            valid = valid & (others != leave_out[0].unsqueeze(1))
        weights = valid / valid.sum(dim=1, keepdim=True).clamp(min=1)  # (B, S), rows sum to 1
        return (self.implicit(others, per_sample_weights=weights)
                + self.explicit(others, per_sample_weights=weights * centred))  # (B, H)
