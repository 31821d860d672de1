"""Several two-tower networks as one: still one user vector and one movie vector.

Members start from different random weights and train side by side on the same batches, each
on its own loss. Their vectors are concatenated and scaled by 1/sqrt(K), so that the dot
product of an ensemble user vector and an ensemble movie vector is the members' mean rating
(biases are averaged too): the artifact, the scorer and every recommendation work unchanged.
Averaging members that err differently lowers the error, as bagging does.
"""

import math

import torch
from torch import Tensor, nn

from movierec.model.config import NetworkConfig
from movierec.model.network import TwoTowerNetwork, dot_product
from movierec.model.tables import FeatureTables, History


class TowerEnsemble(nn.Module):
    """K `TwoTowerNetwork`s whose vectors are concatenated; predictions are their mean."""

    def __init__(self, config: NetworkConfig, tables: FeatureTables) -> None:
        super().__init__()
        self.config = config
        self.members = nn.ModuleList(TwoTowerNetwork(config, tables)
                                     for _ in range(config.members))
        first = self.members[0]
        self.demographics = first.demographics
        self.user_count, self.movie_count = first.user_count, first.movie_count
        self._scale = 1.0 / math.sqrt(config.members)

    def user_tower(self, users: Tensor) -> Tensor:
        """(B, K * vector_dim) concatenated user vectors."""
        return torch.cat([member.user_tower(users) for member in self.members], 1) * self._scale

    def movie_tower(self, movies: Tensor) -> Tensor:
        """(B, K * vector_dim) concatenated movie vectors."""
        return torch.cat([member.movie_tower(movies) for member in self.members],
                         1) * self._scale

    def new_user_vectors(self, gender: Tensor, age: Tensor, occupation: Tensor) -> Tensor:
        """(N, K * vector_dim) concatenated demographic-only user vectors."""
        return torch.cat([member.new_user_vectors(gender, age, occupation)
                          for member in self.members], 1) * self._scale

    def score(self, user_vectors: Tensor, movie_vectors: Tensor, users: Tensor,
              movies: Tensor) -> Tensor:
        """(B,) the members' mean rating from concatenated (B, K * D) vectors."""
        biases = sum(member.bias_terms(users, movies) for member in self.members)
        return dot_product(user_vectors, movie_vectors) + biases / len(self.members)

    def rating_biases(self) -> tuple[Tensor, Tensor, Tensor]:
        """The members' mean user biases, movie biases and global offset."""
        parts = [member.rating_biases() for member in self.members]
        return tuple(torch.stack(values).mean(dim=0) for values in zip(*parts, strict=True))

    def use_histories(self, user_history: History, movie_history: History,
                      offset: float) -> None:
        for member in self.members:
            member.use_histories(user_history, movie_history, offset)

    def forward(self, users: Tensor, movies: Tensor, ratings: Tensor | None = None) -> Tensor:
        """(B,) the members' mean predicted rating."""
        return torch.stack([member(users, movies, ratings) for member in self.members]).mean(0)


RatingNetwork = TwoTowerNetwork | TowerEnsemble
"""What training, export and restore work with."""


def build_network(config: NetworkConfig, tables: FeatureTables) -> RatingNetwork:
    """One network, or an ensemble when `config.members` > 1."""
    if config.members > 1:
        return TowerEnsemble(config, tables)
    return TwoTowerNetwork(config, tables)


def members_of(network: RatingNetwork) -> list[TwoTowerNetwork]:
    """The single networks inside `network` (itself, when it is one)."""
    return list(network.members) if isinstance(network, TowerEnsemble) else [network]
