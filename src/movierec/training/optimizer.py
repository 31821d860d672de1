"""Adam for a two-tower network, in two parts: the embedding tables that produce sparse
gradients (the id embeddings) and everything else.

With dense gradients every step would update every row of the id tables, a cost that grows with
the user base and the catalogue rather than with the batch. The sparse part is SparseAdam
("lazy" Adam: a row's moments move only when a batch touches it), so a step costs the rows its
batch reads; the dense part is fused Adam, or AdamW with decoupled decay on its non-bias
weights. (The history tables stay dense: a step reads batch x sample of their rows, and
coalescing that many sparse rows cost more than updating the tables whole.)
"""

import math
from typing import Any

import torch
from torch import nn


class NetworkAdam:
    """The two optimisers behind one step, one learning rate and one state."""

    def __init__(self, network: nn.Module, learning_rate: float, weight_decay: float,
                 device: torch.device, *, lazy: bool = True) -> None:
        """`lazy` False: Adam as the original had it, every row's moments decaying at every
        step (the sparse gradients are made dense first), at a cost that grows with the
        tables."""
        sparse = [module.weight for module in network.modules()
                  if isinstance(module, nn.Embedding | nn.EmbeddingBag) and module.sparse]
        # Not lazy: the sparse gradients are made dense and their tables join the dense part.
        tables = sparse if lazy else []
        self.densify = [] if lazy else sparse
        lazy_ids = {id(table) for table in tables}
        dense = [(name, p) for name, p in network.named_parameters() if id(p) not in lazy_ids]
        # The fused kernel is one call per step instead of one per parameter per moment: the
        # biggest single saving of the dense part on a CPU.
        fused = device.type in ("cpu", "cuda")
        if weight_decay:
            groups = [
                {"params": [p for name, p in dense if not name.endswith("bias")],
                 "weight_decay": weight_decay},
                {"params": [p for name, p in dense if name.endswith("bias")],
                 "weight_decay": 0.0},
            ]
            self.dense = torch.optim.AdamW(groups, lr=learning_rate, fused=fused)
        else:
            self.dense = torch.optim.Adam([p for _, p in dense], lr=learning_rate, fused=fused)
        self.sparse = torch.optim.SparseAdam(tables, lr=learning_rate) if tables else None
        self.base_rate = learning_rate

    @property
    def optimizers(self) -> list[torch.optim.Optimizer]:
        return [self.dense] + ([self.sparse] if self.sparse else [])

    @property
    def learning_rate(self) -> float:
        return float(self.dense.param_groups[0]["lr"])

    def set_learning_rate(self, rate: float) -> None:
        for optimizer in self.optimizers:
            for group in optimizer.param_groups:
                group["lr"] = rate

    def cosine(self, epoch: int, epochs: int) -> None:
        """Set the rate of `epoch` (0-based) of a cosine decay from the base rate to zero at
        `epochs`."""
        self.set_learning_rate(self.base_rate * (1 + math.cos(math.pi * epoch / epochs)) / 2)

    def zero_grad(self) -> None:
        for optimizer in self.optimizers:
            optimizer.zero_grad(set_to_none=True)

    def step(self) -> None:
        for parameter in self.densify:
            if parameter.grad is not None and parameter.grad.is_sparse:
                parameter.grad = parameter.grad.to_dense()
        for optimizer in self.optimizers:
            optimizer.step()

    def state_dict(self) -> dict[str, Any]:
        return {"dense": self.dense.state_dict(),
                "sparse": self.sparse.state_dict() if self.sparse else {}}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.dense.load_state_dict(state["dense"])
        if self.sparse:
            self.sparse.load_state_dict(state["sparse"])
