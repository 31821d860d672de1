"""Adam over a network's two kinds of weights: lazy (sparse) id tables, or Adam as the seed had
it, and one learning rate over both."""

import torch
from torch import nn

from movierec.training.optimizer import NetworkAdam


class Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.table = nn.Embedding(4, 2, sparse=True)
        self.dense = nn.Linear(2, 1)

    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        return self.dense(self.table(rows)).sum()


def row_after_two_steps(lazy: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Row 0 before and after a step whose batch did not read it (the step before did)."""
    torch.manual_seed(0)
    network = Tiny()
    optimizer = NetworkAdam(network, 0.1, 0.0, torch.device("cpu"), lazy=lazy)
    for rows in (torch.tensor([0, 1]), torch.tensor([1])):
        before = network.table.weight[0].detach().clone()
        optimizer.zero_grad()
        network(rows).backward()
        optimizer.step()
    return before, network.table.weight[0].detach()


def test_lazy_tables_move_only_the_rows_a_batch_reads() -> None:
    before, after = row_after_two_steps(lazy=True)
    assert torch.equal(before, after)


def test_as_the_seed_had_it_every_row_keeps_its_momentum() -> None:
    before, after = row_after_two_steps(lazy=False)
    assert not torch.equal(before, after)


def test_one_learning_rate_and_a_cosine_over_both_parts() -> None:
    optimizer = NetworkAdam(Tiny(), 0.2, 0.0, torch.device("cpu"))
    optimizer.cosine(2, 4)
    assert optimizer.learning_rate == 0.1
    assert all(group["lr"] == 0.1 for part in optimizer.optimizers for group in part.param_groups)
