"""Fitting the new-user head (`movierec.model.new_user_head`) on the training users' first
ratings, after the rating head has fixed the movie vectors.

Every step takes a batch of training users and, for each, a profile of their first k ratings in
time order (k drawn uniformly from 1 to `max_profile`, at most half their ratings: a person who
just signed up). The answer is every later rating of theirs at or above the "liked" threshold,
and the loss is the softmax cross-entropy of those movies against the whole catalogue, the
profile's own movies left out (the multinomial likelihood of Mult-VAE, Liang et al. 2018).
A few seconds on ML-100K, under a minute on ML-1M.
"""

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import Tensor

from movierec.model.new_user_head import NewUserHead
from movierec.training.config import NewUserConfig
from movierec.training.loop import TrainingDiverged

SEED_OFFSET = 2
"""The head's torch and numpy seeds are the run seed + this (the ranking head takes + 1)."""


@dataclass(frozen=True)
class NewUserPhase:
    """A fitted new-user head and what the engine needs beside it."""

    head: NewUserHead
    prior: np.ndarray
    """(M,) float32 log(1 + liked training ratings) of every movie."""
    rating_offset: float
    """What the profile's stars are centred on."""
    scale: float
    """The movie vectors were divided by this while fitting (their mean length)."""
    config: NewUserConfig
    metrics: dict[str, Any]


@dataclass(frozen=True)
class Histories:
    """Each training user's ratings in time order, as CSR rows."""

    indptr: np.ndarray
    movies: np.ndarray
    stars: np.ndarray
    users: np.ndarray
    """Feature index of each row's user (for the demographics)."""

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Histories":
        """Rows by user, each user's ratings by (timestamp, movie index)."""
        users = frame["user_index"].to_numpy(np.int64)
        movies = frame["movie_index"].to_numpy(np.int64)
        times = (frame["timestamp"].to_numpy(np.int64) if "timestamp" in frame
                 else np.zeros(len(frame), np.int64))
        order = np.lexsort((movies, times, users))
        owners, counts = np.unique(users[order], return_counts=True)
        return cls(np.concatenate([[0], np.cumsum(counts)]), movies[order],
                   frame["rating"].to_numpy(np.float32)[order], owners)

    def __len__(self) -> int:
        return len(self.users)


def fit_new_user_head(movie_vectors: Tensor, fitted: pd.DataFrame, config: NewUserConfig, *,
                      liked: float, who: Tensor | None, seed: int) -> NewUserPhase:
    """Fit the head on `fitted` (user_index, movie_index, rating[, timestamp]) with the (M, D)
    `movie_vectors` fixed. `liked`: the stars from which a rating counts as liked; `who`:
    (U, 3) gender, age, occupation indices of every feature user, or None."""
    started = time.perf_counter()
    device = movie_vectors.device
    movie_count = len(movie_vectors)
    scale = float(movie_vectors.norm(dim=1).mean().clamp(min=1e-12))
    vectors = (movie_vectors / scale).detach()
    histories = Histories.from_frame(fitted)
    offset = float(fitted["rating"].mean())
    liked_counts = np.bincount(histories.movies[histories.stars >= liked],
                               minlength=movie_count)
    prior = np.log1p(liked_counts).astype(np.float32)
    prior_tensor = torch.tensor(prior, device=device)
    torch.manual_seed(seed + SEED_OFFSET)
    head = NewUserHead(vectors.shape[1], demographics=who is not None,
                       shrink=config.shrink).to(device)
    optimiser = torch.optim.Adam(_parameter_groups(head, config.weight_decay),
                                 lr=config.learning_rate)
    batches = _Batches(histories, config.max_profile, liked, offset, movie_count, who,
                       np.random.default_rng(seed + SEED_OFFSET))
    losses = []
    average = _WeightAverage(head)
    for epoch in range(config.epochs):
        total, steps = 0.0, 0
        for rows in batches.epoch(config.batch_size):
            profiles, stars, lengths, answers, seen, demographics = (
                part.to(device) if part is not None else None for part in batches.batch(rows))
            if not len(profiles):
                continue
            users = head.user_vectors(vectors, profiles, stars, lengths, demographics)
            logits = head.scores(users, vectors, prior_tensor).masked_fill(seen, float("-inf"))
            log_probabilities = torch.log_softmax(logits, dim=1)
            # -inf * 0 would be NaN: the profile's movies are never answers, so zero them.
            picked = torch.where(answers > 0, log_probabilities, 0.0).sum(dim=1)
            loss = -(picked / answers.sum(dim=1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total, steps = total + loss.item(), steps + 1
        losses.append(total / max(steps, 1))
        if not math.isfinite(losses[-1]):
            raise TrainingDiverged(
                f"new-user head: the training loss of epoch {epoch + 1} is {losses[-1]}, not a "
                f"finite number; training stopped and no model was written. Lower "
                f"new_users.learning_rate (it was {config.learning_rate:g}), then train again "
                "in a new folder")
        if epoch >= config.epochs // 2:
            average.add(head)
    average.apply(head)
    head.eval()
    metrics = {"epochs_run": config.epochs, "train_loss": losses[-1] if losses else None,
               "users": len(histories), "seconds_total": time.perf_counter() - started,
               "shrink": head.shrink.detach().item()}
    return NewUserPhase(head, prior, offset, scale, config, metrics)


class _WeightAverage:
    """The mean of the head's weights at the ends of the later epochs (Izmailov et al., "SWA",
    2018): on a few hundred users one run's last weights are noisy, and the average lists
    better for a one-rating profile (docs/experiments.md)."""

    def __init__(self, head: NewUserHead) -> None:
        self.sums = {name: torch.zeros_like(value) for name, value in head.state_dict().items()}
        self.count = 0

    def add(self, head: NewUserHead) -> None:
        for name, value in head.state_dict().items():
            self.sums[name] += value.detach()
        self.count += 1

    def apply(self, head: NewUserHead) -> None:
        if self.count:
            head.load_state_dict({name: total / self.count for name, total in self.sums.items()})


def _parameter_groups(head: NewUserHead, weight_decay: float) -> list[dict[str, Any]]:
    """Decay on the matrices and demographic vectors; the shrink stays free."""
    scalars = {"raw_shrink"}
    return [
        {"params": [p for name, p in head.named_parameters() if name not in scalars],
         "weight_decay": weight_decay},
        {"params": [p for name, p in head.named_parameters() if name in scalars],
         "weight_decay": 0.0},
    ]


class _Batches:
    """Profiles and answers drawn from the training users' histories."""

    def __init__(self, histories: Histories, max_profile: int, liked: float, offset: float,
                 movie_count: int, who: Tensor | None, rng: np.random.Generator) -> None:
        counts = np.diff(histories.indptr)
        # A user needs a profile and something after it they liked.
        usable = np.flatnonzero(counts >= 2)
        self.histories, self.users = histories, usable
        self.max_profile, self.liked, self.offset = max_profile, liked, offset
        self.movie_count, self.who, self.rng = movie_count, who, rng

    def epoch(self, batch_size: int) -> list[np.ndarray]:
        order = self.rng.permutation(self.users)
        return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]

    def batch(self, rows: np.ndarray) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor,
                                              Tensor | None]:
        """(profiles, centred stars, lengths, answers, seen, demographics) of these users."""
        size, width = len(rows), self.max_profile
        profiles = np.zeros((size, width), np.int64)
        stars = np.zeros((size, width), np.float32)
        lengths = np.zeros(size, np.int64)
        answers = np.zeros((size, self.movie_count), np.float32)
        seen = np.zeros((size, self.movie_count), bool)
        history = self.histories
        for slot, row in enumerate(rows.tolist()):
            start, stop = history.indptr[row], history.indptr[row + 1]
            movies, given = history.movies[start:stop], history.stars[start:stop]
            k = int(self.rng.integers(1, max(1, min(width, len(movies) // 2)) + 1))
            profiles[slot, :k] = movies[:k]
            stars[slot, :k] = given[:k] - self.offset
            lengths[slot] = k
            answers[slot, movies[k:][given[k:] >= self.liked]] = 1.0
            seen[slot, movies[:k]] = True
        keep = answers.sum(axis=1) > 0
        demographics = None
        if self.who is not None:
            demographics = self.who[torch.as_tensor(history.users[rows[keep]])].clone()
            # Half the profiles go without any of the three and the rest lose each part 30% of
            # the time: the head serves people who skip the questions, or answer some.
            hidden = torch.as_tensor((self.rng.random(demographics.shape) < 0.3)
                                     | (self.rng.random((len(demographics), 1)) < 0.5))
            demographics[hidden] = -1
        return (torch.as_tensor(profiles[keep]), torch.as_tensor(stars[keep]),
                torch.as_tensor(lengths[keep]), torch.as_tensor(answers[keep]),
                torch.as_tensor(seen[keep]), demographics)
