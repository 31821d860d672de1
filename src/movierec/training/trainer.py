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

from movierec.errors import UsageError
from movierec.model.ensemble import RatingNetwork, members_of
from movierec.model.history import RatingHistory
from movierec.model.network import TwoTowerNetwork
from movierec.training.config import TrainingConfig
from movierec.training.data import RatingTensors, TrainingData
from movierec.training.gradient_sync import GradientSync
from movierec.training.optimizer import NetworkAdam
from movierec.training.vectors import tower_vectors
from movierec.training.workers import Workers

BatchCallback = Callable[[int, Tensor], None]
"""Called after every optimiser step with (batches done this epoch, that batch's loss as a
0-d tensor: reading it costs a device sync, so a caller reads it only when it shows it)."""


class ShuffledTrainer:
    """What every trainer here shares: a seeded shuffle of its rows each epoch, batches sliced
    from it, Adam (or AdamW) with an optional cosine schedule, running sums on the device read
    once per epoch, and a state that resumes exactly, mid-epoch included.

    With several workers (`movierec.training.workers`), every worker draws the same order and
    trains its share of each step's rows, a batch of `batch_size`; the gradients are averaged
    across them before each step, and the epoch's sums are added up at its end.

    A subclass says what one batch costs (`_step`) and what the epoch's sums mean
    (`_summarise`)."""

    def __init__(self, network: nn.Module, rows: int, *, batch_size: int, epochs: int,
                 learning_rate: float, weight_decay: float, schedule: str, seed: int,
                 device: torch.device, sums: int, lazy_embeddings: bool = True,
                 workers: Workers | None = None) -> None:
        """`rows`: how many training rows an epoch covers; `sums`: how many figures besides
        the loss `_step` adds up; `lazy_embeddings`: see `TrainingConfig`; `workers`: the
        run's workers (None: this process alone)."""
        self.network, self.rows, self.batch_size = network, rows, batch_size
        self.workers = workers or Workers.alone(device)
        self.workers.broadcast_parameters(network)
        self.sync = GradientSync(network, self.workers)
        if self.workers.joined:
            for _, history in self._histories():
                history.share_work(self.workers)
        # The shuffling stream is separate from torch's global one (dropout) so that each can be
        # saved and restored on its own.
        self.shuffle = torch.Generator(device="cpu").manual_seed(seed)
        # N workers take a step of N batches, so an epoch has N times fewer steps: the rate
        # grows by sqrt(N), the rule for Adam (whose steps do not grow with the batch), so that
        # the weights travel as far in an epoch (docs/scaling.md, "Quality").
        rate = learning_rate * math.sqrt(self.workers.count)
        self.optimizer = NetworkAdam(network, rate, weight_decay, device, lazy=lazy_embeddings)
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
        """Steps an epoch takes (each of one batch per worker)."""
        return math.ceil(self.rows / (self.batch_size * self.workers.count))

    @property
    def stop_agreement(self) -> Callable[[bool], bool] | None:
        """How the epoch loop asks the workers whether to stop (`LoopSettings.agree_to_stop`);
        None alone."""
        return self.sync.agree if self.workers.joined else None

    @property
    def learning_rate(self) -> float:
        return self.optimizer.learning_rate

    def train_epoch(self, on_batch: BatchCallback | None = None) -> dict[str, float]:
        """One pass over the training rows (or the rest of an interrupted pass); the running
        figures of the pass, as `_summarise` names them."""
        # Each worker trains a batch of `batch_size` a step: a step takes one per worker.
        size = self.batch_size * self.workers.count
        if self.order is None:
            self.order = torch.randperm(self.rows, generator=self.shuffle).to(self.device)
            self.position, self.counted = 0, 0
            self.running.zero_()
        self.network.train()
        loss = torch.zeros((), device=self.device)
        while self.position * size < self.rows:
            batch = self.order[self.position * size:(self.position + 1) * size]
            mine = self.workers.shard(len(batch))
            if mine.stop > mine.start:
                loss, sums = self._step(batch[mine])
                self.optimizer.zero_grad()
                loss.backward()
                self.sync()
                self.optimizer.step()
                with torch.no_grad():
                    # Summed on the device, read once per epoch: no sync per batch on a GPU.
                    count = mine.stop - mine.start
                    self.running += torch.cat([(loss.detach() * count).reshape(1),
                                               sums]).double()
                    self.counted += count
            self.position += 1
            if on_batch is not None:
                on_batch(self.position, loss.detach())
        running = self.workers.sum(self.running.clone())
        counted = round(self.workers.sum_floats([float(self.counted)])[0])
        figures = self._summarise(running.tolist(), counted)
        self.order = None
        self.epochs_done += 1
        self._schedule()
        return figures

    def _schedule(self) -> None:
        """The learning rate of the next pass (a resumed run's own, whatever its checkpoint
        holds: the rate depends on the number of workers)."""
        if self.schedule == "cosine":
            self.optimizer.cosine(min(self.epochs_done, self.epochs), self.epochs)
        else:
            self.optimizer.set_learning_rate(self.optimizer.base_rate)

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
        """Everything needed to continue exactly where training stands, mid-epoch included.
        With several workers every one of them must call it (it gathers their own random
        streams and running sums); the first worker's are where a run of one keeps them."""
        own = self._own_state()
        return {
            "network": self.network.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epochs_done": self.epochs_done,
            "shuffle_rng": self.shuffle.get_state(),
            **own,
            "order": self.order.cpu() if self.order is not None else torch.empty(0),
            "position": self.position,
            "histories": {name: module.training_state() for name, module in self._histories()},
            "workers": self.workers.count,
            "other_workers": self._others_state(own),
            # Which tables the workers send whole: a resume keeps the choice, so its sums are
            # formed as the uninterrupted run's are.
            "tables_whole": torch.tensor(self.sync.whole or [], dtype=torch.bool),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.network.load_state_dict(state["network"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epochs_done = int(state["epochs_done"])
        self._schedule()
        self.shuffle.set_state(state["shuffle_rng"])
        order = state["order"]
        self.order = order.to(self.device) if len(order) else None
        self.position = int(state["position"])
        self._load_own_state(state)
        whole = state.get("tables_whole", torch.zeros(0, dtype=torch.bool))
        same_workers = int(state.get("workers", 1)) == self.workers.count
        if self.workers.joined and same_workers and len(whole):
            self.sync.whole = whole.tolist()
        for name, module in self._histories():
            module.load_training_state(state["histories"][name])

    def _own_state(self) -> dict[str, Any]:
        """This worker's own part of the state: its random streams and running sums."""
        return {
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": (torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []),
            "running": self.running.cpu(),
            "counted": self.counted,
        }

    def _others_state(self, own: dict[str, Any]) -> list[dict[str, Any]]:
        """The own parts of workers 1.. (empty alone), gathered from every worker."""
        if not self.workers.joined:
            return []
        streams = self.workers.gather(own["torch_rng"])
        running = self.workers.gather(own["running"])
        counted = self.workers.gather(torch.tensor([own["counted"]]))
        cuda = (self.workers.gather(torch.cuda.get_rng_state(self.device).to(self.device))
                if self.device.type == "cuda" else [])
        return [{"torch_rng": streams[rank].cpu(), "running": running[rank].cpu(),
                 "counted": int(counted[rank]), "cuda_rng": cuda[rank].cpu() if cuda else None}
                for rank in range(1, self.workers.count)]

    def _load_own_state(self, state: dict[str, Any]) -> None:
        """This worker's part of a saved state: with as many workers as when it was saved,
        each takes its own and the run continues exactly. With another number (only at an
        epoch's end), the first worker takes the first one's random stream and the others
        keep their fresh ones."""
        saved = int(state.get("workers", 1))
        rank = self.workers.rank
        if saved != self.workers.count:
            if self.position:
                raise UsageError(
                    f"this run stopped in the middle of an epoch on {saved} worker(s); resume "
                    f"it on as many (--nproc {saved}): the number of workers can change only "
                    "between epochs")
            if rank == 0:
                torch.set_rng_state(state["torch_rng"])
            return
        part = [state, *state.get("other_workers", [])][rank]
        torch.set_rng_state(part["torch_rng"])
        if rank == 0 and state["cuda_rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        elif rank and part["cuda_rng"] is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state(part["cuda_rng"], self.device)
        self.running = part["running"].to(self.running.device, copy=True)
        self.counted = int(part["counted"])

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
                 *, seed: int, workers: Workers | None = None) -> None:
        super().__init__(
            network, len(data.train), batch_size=config.batch_size, epochs=config.epochs,
            learning_rate=config.learning_rate, weight_decay=config.weight_decay,
            schedule=config.schedule, seed=seed, device=data.train.ratings.device, sums=2,
            lazy_embeddings=config.lazy_embeddings, workers=workers,
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
        users, movies = tower_vectors(self.network, workers=self.workers)
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
        # Each worker sums its share of the part; alone, the share is the whole part.
        share = -(-len(part) // self.workers.count)
        first, last = self.workers.rank * share, min((self.workers.rank + 1) * share, len(part))
        with torch.no_grad():
            for start in range(first, last, chunk):
                rows = slice(start, min(start + chunk, last))
                u, m, r = part.users[rows], part.movies[rows], part.ratings[rows]
                predictions = self.network.score(users[u], movies[m], u, m)
                errors = predictions.clamp(low, high) - r
                loss += float((predictions - r).double().square().sum())
                squared += float(errors.double().square().sum())
                absolute += float(errors.double().abs().sum())
        loss, squared, absolute = self.workers.sum_floats([loss, squared, absolute])
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
