"""Fitting the two-tower network to ratings (the ranking head has its own trainer, on the same
base): one epoch at a time, resumable mid-epoch.

A batch is a slice of the epoch's shuffled order over preloaded index tensors; the network
gathers its own inputs from its buffers, so there is no per-sample Python work at all.
"""

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor, nn

from movierec.model.ensemble import RatingNetwork, members_of
from movierec.model.history import RatingHistory
from movierec.model.network import TwoTowerNetwork
from movierec.training.config import TrainingConfig
from movierec.training.data import RatingTensors, TrainingData
from movierec.training.optimizer import NetworkAdam
from movierec.training.vectors import tower_vectors

BatchCallback = Callable[[int, Tensor], None]
"""Called after every optimiser step with (batches done this epoch, that batch's loss as a
0-d tensor: reading it costs a device sync, so a caller reads it only when it shows it)."""


class ShuffledTrainer:
    """What every trainer here shares: a seeded shuffle of its rows each epoch, batches sliced
    from it, Adam (or AdamW) with an optional cosine schedule, running sums on the device read
    once per epoch, and a state that resumes exactly, mid-epoch included.

    A subclass says what one batch costs (`_step`) and what the epoch's sums mean
    (`_summarise`)."""

    def __init__(self, network: nn.Module, rows: int, *, batch_size: int, epochs: int,
                 learning_rate: float, weight_decay: float, schedule: str, seed: int,
                 device: torch.device, sums: int, lazy_embeddings: bool = True) -> None:
        """`rows`: how many training rows an epoch covers; `sums`: how many figures besides
        the loss `_step` adds up; `lazy_embeddings`: see `TrainingConfig`."""
        self.network, self.rows, self.batch_size = network, rows, batch_size
        # The shuffling stream is separate from torch's global one (dropout) so that each can be
        # saved and restored on its own.
        self.shuffle = torch.Generator(device="cpu").manual_seed(seed)
        self.optimizer = NetworkAdam(network, learning_rate, weight_decay, device,
                                     lazy=lazy_embeddings)
        self.schedule, self.epochs = schedule, epochs
        self.epochs_done = 0
        """Passes completed: where the schedule stands."""
        self.device = device
        self.order: Tensor | None = None
        self.position = 0
        self.running = torch.zeros(1 + sums, dtype=torch.float64, device=device)
        """This pass's sums of loss * rows and of the subclass's figures so far."""
        self.counted = 0
        """Rows seen in this pass so far."""

    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(self.rows / self.batch_size)

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    def train_epoch(self, on_batch: BatchCallback | None = None) -> dict[str, float]:
        """One pass over the training rows (or the rest of an interrupted pass); the running
        figures of the pass, as `_summarise` names them."""
        size = self.batch_size
        if self.order is None:
            self.order = torch.randperm(self.rows, generator=self.shuffle).to(self.device)
            self.position, self.counted = 0, 0
            self.running.zero_()
        self.network.train()
        while self.position * size < self.rows:
            rows = self.order[self.position * size:(self.position + 1) * size]
            loss, sums = self._step(rows)
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
            with torch.no_grad():
                # Summed on the device, read once per epoch: no sync per batch on a GPU.
                self.running += torch.cat([(loss.detach() * len(rows)).reshape(1),
                                           sums]).double()
                self.counted += len(rows)
            self.position += 1
            if on_batch is not None:
                on_batch(self.position, loss.detach())
        figures = self._summarise(self.running.tolist(), self.counted)
        self.order = None
        self.epochs_done += 1
        self._schedule()
        return figures

    def _schedule(self) -> None:
        """The learning rate of the next pass."""
        if self.schedule == "cosine":
            self.optimizer.cosine(min(self.epochs_done, self.epochs), self.epochs)

    def weights(self) -> dict[str, Tensor]:
        """A copy of the network's weights."""
        return {name: value.detach().clone() for name, value in
                self.network.state_dict().items()}

    def load_weights(self, weights: dict[str, Tensor]) -> None:
        self.network.load_state_dict(weights)

    def finalize(self) -> None:
        """Leave the network ready to serve: eval mode, no dropout."""
        self.network.eval()

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly where training stands, mid-epoch included."""
        return {
            "network": self.network.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epochs_done": self.epochs_done,
            "shuffle_rng": self.shuffle.get_state(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": (torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []),
            "order": self.order.cpu() if self.order is not None else torch.empty(0),
            "position": self.position,
            "running": self.running.cpu(),
            "counted": self.counted,
            "histories": {name: module.training_state() for name, module in self._histories()},
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.network.load_state_dict(state["network"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epochs_done = int(state["epochs_done"])
        self._schedule()
        self.shuffle.set_state(state["shuffle_rng"])
        torch.set_rng_state(state["torch_rng"])
        if state["cuda_rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        order = state["order"]
        self.order = order.to(self.device) if len(order) else None
        self.position = int(state["position"])
        self.running = state["running"].to(self.running.device, copy=True)
        self.counted = int(state["counted"])
        for name, module in self._histories():
            module.load_training_state(state["histories"][name])

    def _histories(self) -> list[tuple[str, RatingHistory]]:
        """The network's history features: their caches are training state too."""
        return [(name, module) for name, module in self.network.named_modules()
                if isinstance(module, RatingHistory)]

    def _step(self, rows: Tensor) -> tuple[Tensor, Tensor]:
        """The loss of the batch at positions `rows`, and the batch's sums of the figures
        `_summarise` reads ((sums,) tensor, no gradient)."""
        raise NotImplementedError

    def _summarise(self, sums: list[float], count: int) -> dict[str, float]:
        """The epoch's figures from [loss * rows, *figures] summed over `count` rows."""
        raise NotImplementedError


class RatingTrainer(ShuffledTrainer):
    """Adam on the mean squared error (plus the preset's penalties) of a network; the members
    of an ensemble each fit the ratings on their own."""

    def __init__(self, network: RatingNetwork, data: TrainingData, config: TrainingConfig,
                 *, seed: int) -> None:
        super().__init__(
            network, len(data.train), batch_size=config.batch_size, epochs=config.epochs,
            learning_rate=config.learning_rate, weight_decay=config.weight_decay,
            schedule=config.schedule, seed=seed, device=data.train.ratings.device, sums=2,
            lazy_embeddings=config.lazy_embeddings,
        )
        self.data, self.config = data, config
        if network.config.biases:
            with torch.no_grad():
                # Starting the offset at the mean spares the first epochs from learning it.
                for member in members_of(network):
                    member.global_bias.fill_(data.train_mean)

    def _step(self, rows: Tensor) -> tuple[Tensor, Tensor]:
        train = self.data.train
        low, high, _ = self.data.rating_scale
        users, movies, ratings = train.users[rows], train.movies[rows], train.ratings[rows]
        loss, predictions = self._loss(users, movies, ratings)
        with torch.no_grad():
            errors = predictions.detach().clamp(low, high) - ratings
            sums = torch.stack([errors.square().sum(), errors.abs().sum()])
        return loss, sums

    def _summarise(self, sums: list[float], count: int) -> dict[str, float]:
        """Running loss (with penalties), rmse and mae (clipped, dropout on) of the pass."""
        loss_sum, squared, absolute = sums
        return {"loss": loss_sum / count, "rmse": math.sqrt(squared / count),
                "mae": absolute / count}

    def evaluate(self) -> dict[str, float]:
        """Validation (when there is one) and test figures, eval mode, clipped predictions."""
        users, movies = tower_vectors(self.network)
        results: dict[str, float] = {}
        parts = {"validation": self.data.validation, "test": self.data.test}
        for name, part in parts.items():
            if part is not None and len(part):
                for metric, value in self._metrics(users, movies, part).items():
                    results[f"{name}_{metric}"] = value
        return results

    def _loss(self, users: Tensor, movies: Tensor, ratings: Tensor) -> tuple[Tensor, Tensor]:
        """The batch's loss, averaged over the members (each member's gradient comes from its
        own error alone), and the (B,) mean prediction."""
        members = members_of(self.network)
        loss, predictions = 0.0, 0.0
        for member in members:
            # Passing the ratings keeps each pair's own rating out of the rating histories.
            predicted = member(users, movies, ratings)  # (B,)
            loss = loss + torch.nn.functional.mse_loss(predicted, ratings)
            if self.config.embedding_l2:
                loss = loss + self.config.embedding_l2 * embedding_penalty(member, users, movies)
            predictions = predictions + predicted
        return loss / len(members), predictions / len(members)

    def _metrics(self, users: Tensor, movies: Tensor, part: RatingTensors) -> dict[str, float]:
        low, high, _ = self.data.rating_scale
        squared = absolute = loss = 0.0
        chunk = 1 << 16
        with torch.no_grad():
            for start in range(0, len(part), chunk):
                rows = slice(start, start + chunk)
                u, m, r = part.users[rows], part.movies[rows], part.ratings[rows]
                predictions = self.network.score(users[u], movies[m], u, m)
                errors = predictions.clamp(low, high) - r
                loss += float((predictions - r).double().square().sum())
                squared += float(errors.double().square().sum())
                absolute += float(errors.double().abs().sum())
        count = len(part)
        return {"loss": loss / count, "rmse": math.sqrt(squared / count), "mae": absolute / count}


def embedding_penalty(network: TwoTowerNetwork, users: Tensor, movies: Tensor) -> Tensor:
    """Squared norms of the batch's id embeddings and biases, averaged over its ratings: an
    active user or a popular movie is penalised as often as it is rated."""
    penalty = (network.user.embedding(users).square().sum(dim=1)
               + network.movie.embedding(movies).square().sum(dim=1))
    if network.config.biases:
        penalty = penalty + network.user_bias[users].square() + network.movie_bias[
            movies].square()
    return penalty.mean()
