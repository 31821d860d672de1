"""The two-tower network: a user tower and a movie tower (`movierec.model.towers`) whose output
vectors' dot product, plus optional biases, is a rating. The seed's layers (MODEL.md) plus the
knobs the better presets turn; no I/O here.

Embedding tables are indexed by dense positions (0..users-1, 0..movies-1). The network holds
the data's per-user and per-movie inputs (demographic codes, genre ids, title word ids, rating
histories) as buffers, so a batch is just (user indices, movie indices). The buffers are not
saved with the weights: they are data, which the artifact stores beside them.
"""

import torch
from torch import Tensor, nn

from movierec.model.config import NetworkConfig
from movierec.model.tables import FeatureTables, History
from movierec.model.towers import MovieTower, UserTower

__all__ = ["NetworkConfig", "ShapeError", "TwoTowerNetwork", "dot_product"]


class ShapeError(ValueError):
    """Two tensors that must line up do not: a bug in the caller, not a user's error."""


def dot_product(user_vectors: Tensor, movie_vectors: Tensor) -> Tensor:
    """(B,) row-wise dot products of two (B, D) tensors; ShapeError when they differ, since a
    (B, 1, D) against a (B, D) would broadcast to (B, B, D) without complaint."""
    if user_vectors.ndim != 2 or user_vectors.shape != movie_vectors.shape:
        raise ShapeError(
            f"user vectors {tuple(user_vectors.shape)} and movie vectors "
            f"{tuple(movie_vectors.shape)} must both be (B, D)"
        )
    return (user_vectors * movie_vectors).sum(dim=1)


class TwoTowerNetwork(nn.Module):
    """rating = user_tower(user) . movie_tower(movie) [+ user bias + movie bias + global]."""

    def __init__(self, config: NetworkConfig, tables: FeatureTables) -> None:
        super().__init__()
        self.config = config
        self.demographics = tables.has_demographics
        self.user_count, self.movie_count = tables.users, tables.movies
        try:
            self.user = UserTower(config, tables)
            self.movie = MovieTower(config, tables)
        except ValueError as error:
            raise ShapeError(str(error)) from None
        if config.history_dim:
            if tables.user_history is None or tables.movie_history is None:
                raise ShapeError("a network with history_dim > 0 needs the rating histories")
            self.use_histories(tables.user_history, tables.movie_history, tables.rating_offset)
        if config.biases:
            self.user_bias = nn.Parameter(torch.zeros(tables.users))
            self.movie_bias = nn.Parameter(torch.zeros(tables.movies))
            self.global_bias = nn.Parameter(torch.zeros(()))
        self.reset_parameters()

    def use_histories(self, user_history: History, movie_history: History,
                      offset: float) -> None:
        """Read these rating histories, centred on `offset`, from now on (the artifact's vectors
        use the whole training part, validation included, once it has served early
        stopping)."""
        self.user.history.use(user_history, offset)
        self.movie.history.use(movie_history, offset)

    def reset_parameters(self) -> None:
        """The original's initialisation (TF1 defaults): embeddings uniform in [-s, s], dense
        layers Glorot-uniform with zero bias, convolutions truncated normal 0.1 with bias 0.1,
        biases zero."""
        scale = self.config.embedding_scale
        for module in self.modules():
            if isinstance(module, nn.Embedding | nn.EmbeddingBag):
                nn.init.uniform_(module.weight, -scale, scale)
                if module.padding_idx is not None:
                    with torch.no_grad():
                        module.weight[module.padding_idx] = 0.0
            elif isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Conv1d):
                nn.init.trunc_normal_(module.weight, std=0.1, a=-0.2, b=0.2)
                nn.init.constant_(module.bias, 0.1)
        if self.config.biases:
            for bias in (self.user_bias, self.movie_bias, self.global_bias):
                nn.init.zeros_(bias)

    def user_tower(self, users: Tensor, leave_out: tuple[Tensor, Tensor] | None = None
                   ) -> Tensor:
        """(B, vector_dim) vectors of the users at indices `users` (B,); `leave_out` =
        (movies, ratings), each (B,): training pairs whose ratings the history feature must not
        contain (see `pair_vectors`)."""
        return self.user(users, leave_out)

    def movie_tower(self, movies: Tensor, leave_out: tuple[Tensor, Tensor] | None = None
                    ) -> Tensor:
        """(B, vector_dim) vectors of the movies at indices `movies` (B,); `leave_out` =
        (users, ratings) as in `user_tower`."""
        return self.movie(movies, leave_out)

    def new_user_vectors(self, gender: Tensor, age: Tensor, occupation: Tensor) -> Tensor:
        """(N, vector_dim) vectors of users known only by their demographic codes (N,): the
        mean id embedding stands in for their own, and they have no rating history."""
        mean_id = self.user.embedding.weight.mean(dim=0)  # (id_dim,)
        return self.user.vectors(mean_id.expand(len(gender), -1), (gender, age, occupation))

    def score(self, user_vectors: Tensor, movie_vectors: Tensor, users: Tensor,
              movies: Tensor) -> Tensor:
        """(B,) ratings from the (B, D) vectors of B (user, movie) pairs, biases added."""
        return dot_product(user_vectors, movie_vectors) + self.bias_terms(users, movies)

    def bias_terms(self, users: Tensor, movies: Tensor) -> Tensor | float:
        """(B,) user bias + movie bias + global offset of B pairs; 0 without biases."""
        if not self.config.biases:
            return 0.0
        return self.user_bias[users] + self.movie_bias[movies] + self.global_bias

    def rating_biases(self) -> tuple[Tensor, Tensor, Tensor]:
        """(U,) user biases, (M,) movie biases and the global offset; zeros without biases."""
        if self.config.biases:
            return self.user_bias, self.movie_bias, self.global_bias
        weight = self.user.embedding.weight
        return (weight.new_zeros(self.user_count), weight.new_zeros(self.movie_count),
                weight.new_zeros(()))

    def pair_vectors(self, users: Tensor, movies: Tensor, ratings: Tensor | None = None
                     ) -> tuple[Tensor, Tensor]:
        """The (B, vector_dim) user and movie vectors of B pairs.

        `ratings` (B,) says the pairs are training ratings: each is then left out of its user's
        and its movie's history, so that the network cannot copy the answer from its input (a
        test pair is never in the histories, and training must look like testing).
        """
        if users.ndim != 1 or users.shape != movies.shape:
            raise ShapeError(
                f"user indices {tuple(users.shape)} and movie indices {tuple(movies.shape)} "
                "must both be (B,)"
            )
        known = ratings is not None and self.config.history_dim > 0
        user_vectors = self.user(users, (movies, ratings) if known else None)  # (B, 200)
        movie_vectors = self.movie(movies, (users, ratings) if known else None)  # (B, 200)
        return user_vectors, movie_vectors

    def forward(self, users: Tensor, movies: Tensor, ratings: Tensor | None = None) -> Tensor:
        """(B,) predicted ratings, not clipped, of the B pairs (users[i], movies[i]);
        `ratings` as in `pair_vectors`."""
        user_vectors, movie_vectors = self.pair_vectors(users, movies, ratings)
        return self.score(user_vectors, movie_vectors, users, movies)  # (B,)
