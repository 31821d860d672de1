"""Fitting the ranking head: every training rating is a positive of the softmax objective
(`movierec.training.ranking_objective`), on the same epoch machinery as the rating head."""

import math

import numpy as np
import torch
from torch import Tensor

from movierec.model.ensemble import RatingNetwork, members_of
from movierec.training.config import RankingConfig
from movierec.training.data import RatingTensors
from movierec.training.ranking_objective import SoftmaxObjective
from movierec.training.trainer import ShuffledTrainer, embedding_penalty
from movierec.training.vectors import tower_vectors
from movierec.training.workers import Workers

K = 10
"""Length of the lists the per-epoch recall is measured on."""
SAMPLED_USERS = 1000
"""Test users the per-epoch recall is measured on (a fixed sample): enough to follow the
curve, cheap on any catalogue."""
BLOCK = 128
"""Sampled users scored at once."""


class RankingTrainer(ShuffledTrainer):
    """Adam on the softmax objective; the members of an ensemble each fit it on their own."""

    def __init__(self, network: RatingNetwork, train: RatingTensors, test: RatingTensors,
                 config: RankingConfig, *, seed: int, workers: Workers | None = None) -> None:
        """`train`: the ratings to fit (the whole training part); `test`: the held-out ones,
        for the recall reported after each epoch; `workers`: as `ShuffledTrainer`'s."""
        device = train.users.device
        super().__init__(
            network, len(train), batch_size=config.batch_size, epochs=config.epochs,
            learning_rate=config.learning_rate, weight_decay=0.0, schedule="cosine",
            seed=seed, device=device, sums=0, workers=workers,
        )
        self.train, self.config = train, config
        self.objective = SoftmaxObjective(train.users, train.movies, config,
                                          user_count=network.user_count,
                                          movie_count=network.movie_count).to(device)
        self._probe = RecallProbe(train, test, network.movie_count, seed)

    def evaluate(self) -> dict[str, float]:
        """Recall@10 on a fixed sample of test users, counting every test rating as a hit to
        find: how often the head puts what a user watched next in their top 10."""
        if self._probe.empty:
            return {}
        # Only the sampled users' vectors: the user tower reads every rating history.
        users, movies = tower_vectors(self.network, self._probe.users, workers=self.workers)
        return {f"test_recall@{K}": self._probe.recall(users, movies)}

    def _step(self, rows: Tensor) -> tuple[Tensor, Tensor]:
        users, movies = self.train.users[rows], self.train.movies[rows]
        ratings = self.train.ratings[rows]
        # With several workers, each trains a whole batch of the preset's size: its positives
        # compete with the candidates of a batch as they do alone.
        candidates = self.objective.candidates(movies)
        members = members_of(self.network)
        loss = 0.0
        for member in members:
            # The ratings keep each positive out of its own user's history feature, as in the
            # rating head: the towers may not read the answer from their input.
            user_vectors = member.user_tower(users, (movies, ratings))  # (B, D)
            movie_vectors = member.movie_tower(candidates.movies)  # (C, D)
            loss = loss + self.objective.loss(user_vectors, movie_vectors, users, candidates,
                                              ratings)
            if self.config.embedding_l2:
                loss = loss + self.config.embedding_l2 * embedding_penalty(member, users, movies)
        return loss / len(members), torch.zeros(0, device=rows.device)

    def _summarise(self, sums: list[float], count: int) -> dict[str, float]:
        return {"loss": sums[0] / count}


class RecallProbe:
    """Recall@K of a fixed sample of test users, their training movies excluded."""

    def __init__(self, train: RatingTensors, test: RatingTensors, movie_count: int,
                 seed: int) -> None:
        test_users = np.unique(test.users.cpu().numpy())
        sample = np.sort(np.random.default_rng(seed).permutation(test_users)[:SAMPLED_USERS])
        self.empty = not len(sample)
        self.users = torch.tensor(sample, device=train.users.device)
        self.movie_count = movie_count
        self.seen = self._pairs(train)  # (rows in the sample, movies)
        rows, movies = self._pairs(test)
        self.test_keys = torch.unique(rows * movie_count + movies)
        self.test_counts = torch.bincount(rows, minlength=len(sample)).double()

    def _pairs(self, part: RatingTensors) -> tuple[Tensor, Tensor]:
        """(row in the sample, movie) of the part's ratings by sampled users."""
        position = torch.searchsorted(self.users, part.users).clamp(max=len(self.users) - 1)
        inside = self.users[position] == part.users
        return position[inside], part.movies[inside]

    def recall(self, user_vectors: Tensor, movie_vectors: Tensor) -> float:
        """`user_vectors`: (S, D), those of `self.users` in order; `movie_vectors`: (M, D)."""
        hits = torch.zeros(len(self.users), dtype=torch.float64, device=self.users.device)
        seen_rows, seen_movies = self.seen
        with torch.no_grad():
            # Blocks of users keep the score matrix small on catalogues of 100,000 movies.
            for start in range(0, len(self.users), BLOCK):
                stop = min(start + BLOCK, len(self.users))
                scores = user_vectors[start:stop] @ movie_vectors.T  # (S, M)
                inside = (seen_rows >= start) & (seen_rows < stop)
                scores[seen_rows[inside] - start, seen_movies[inside]] = -math.inf
                top = scores.topk(min(K, self.movie_count), dim=1).indices  # (S, K)
                rows = torch.arange(start, stop, device=top.device)[:, None]
                hits[start:stop] = torch.isin(rows * self.movie_count + top,
                                              self.test_keys).sum(dim=1).double()
        has_test = self.test_counts > 0
        recall = hits[has_test] / self.test_counts[has_test]
        return float(recall.mean()) if len(recall) else 0.0
