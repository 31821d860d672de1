"""The two-tower network: a user tower and a movie tower whose output vectors' dot product is a
rating. The seed's layers (MODEL.md) plus the knobs the better presets turn; no I/O here.

Embedding tables are indexed by dense positions (0..users-1, 0..movies-1), so their row counts
come from the data. The original indexed raw MovieLens ids, which left an unused row 0 and the
gaps between ids (ML-1M: 6,041 user rows for 6,040 users, 3,953 movie rows for 3,883 listed
movies); rows that no rating reaches never change, so nothing differs functionally.

The network holds the data's per-user and per-movie inputs (demographic codes, genre ids, title
word ids) as buffers, so a batch is just (user indices, movie indices). The buffers are not
saved with the weights: they are data, restored from the prepared release.
"""

from dataclasses import dataclass
from typing import NamedTuple

import torch
from torch import Tensor, nn

GENDERS, AGES, OCCUPATIONS = 2, 7, 21
"""Rows of the demographic tables: ML-1M's codes (MODEL.md's feature table)."""

ACTIVATIONS = ("tanh", "linear")
TITLE_TOKENS = ("seed", "words")


@dataclass(frozen=True)
class NetworkConfig:
    """The network's hyperparameters; the defaults are the seed's values."""

    id_dim: int = 32
    """Width of the user id and movie id embeddings."""
    demographic_dim: int = 16
    """Width of the gender, age and occupation embeddings."""
    feature_dim: int = 32
    """Width of each feature's dense layer, and of the genre and title word embeddings."""
    vector_dim: int = 200
    """Width of the user and movie vectors whose dot product is the rating."""
    text_windows: tuple[int, ...] = (2, 3, 4, 5)
    """Window sizes of the title CNN, one convolution each."""
    text_filters: int = 8
    """Filters per title CNN window; the title feature is len(text_windows) * text_filters wide."""
    title_tokens: str = "seed"
    """Title tokenisation: "seed" (year stripped, split on spaces) or "words" (normalised)."""
    title_dropout: float = 0.5
    """Drop probability after the title CNN (the seed's keep probability 0.5)."""
    tower_dropout: float = 0.0
    """Drop probability on each tower's concatenated features, before its output layer."""
    vector_activation: str = "tanh"
    """Activation of both towers' outputs: "tanh" (seed) or "linear"."""
    biases: bool = False
    """Add a user bias, a movie bias and a global offset to the dot product."""
    embedding_scale: float = 1.0
    """Embeddings start uniform in [-scale, scale]; the seed used 1."""
    id_shortcut: bool = False
    """Add the id embedding straight to the tower's output instead of passing it through a
    dense layer (then id_dim must equal vector_dim): matrix factorisation plus side features."""
    history_dim: int = 0
    """Width of the rating-history feature of each tower: the mean, over the movies a user
    rated (the users who rated a movie), of an implicit embedding plus the centred rating times
    an explicit one (SVD++-like); 0 leaves it out, as the seed does."""

    members: int = 1
    """Networks trained side by side from different starts (see `movierec.model.ensemble`);
    their vectors are concatenated, so one dot product gives the members' mean rating."""

    def __post_init__(self) -> None:
        if self.members < 1:
            raise ValueError("members must be at least 1")
        if not (0 <= self.title_dropout < 1 and 0 <= self.tower_dropout < 1):
            raise ValueError("dropout probabilities must be in [0, 1)")
        if self.vector_activation not in ACTIVATIONS:
            raise ValueError(f"vector_activation must be one of {ACTIVATIONS}")
        if self.title_tokens not in TITLE_TOKENS:
            raise ValueError(f"title_tokens must be one of {TITLE_TOKENS}")
        if not self.text_windows or min(self.text_windows) < 1:
            raise ValueError("text_windows needs at least one window of size >= 1")
        if self.id_shortcut and self.id_dim != self.vector_dim:
            raise ValueError("id_shortcut needs id_dim == vector_dim")


class History(NamedTuple):
    """One side's training ratings as CSR rows: for each user (or movie), whom it rated (was
    rated by) and how, as the rating minus the training mean."""

    indptr: Tensor
    """(rows + 1,) int64 row pointers."""
    others: Tensor
    """(R,) int64 indices into the other side."""
    centred: Tensor
    """(R,) float32 rating minus `FeatureTables.rating_offset`."""


class FeatureTables(NamedTuple):
    """The data's per-user and per-movie inputs, indexed by dense position."""

    movie_genres: Tensor
    """(M, G) genre ids, 0 = <PAD>."""
    movie_titles: Tensor
    """(M, L) title word ids, 0 = <PAD>."""
    genre_vocabulary: int
    """Rows of the genre table, <PAD> included."""
    word_vocabulary: int
    """Rows of the title word table, <PAD> included."""
    users: int
    user_gender: Tensor | None = None
    """(U,) 0..1, or None for releases without demographics (as are the next two)."""
    user_age: Tensor | None = None
    """(U,) 0..6."""
    user_occupation: Tensor | None = None
    """(U,) 0..20."""
    user_history: History | None = None
    """Each user's training ratings, for networks with a history feature."""
    movie_history: History | None = None
    """Each movie's training ratings, likewise."""
    rating_offset: float = 0.0
    """The training mean the histories' ratings are centred on."""

    @property
    def movies(self) -> int:
        return len(self.movie_genres)

    @property
    def has_demographics(self) -> bool:
        return self.user_gender is not None


class Dropout(nn.Module):
    """nn.Dropout's behaviour, with the mask drawn by torch.rand: bernoulli_ is about twice as
    slow on a CPU, and dropout runs on every tower of every batch."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, values: Tensor) -> Tensor:
        if not self.training or not self.p:
            return values
        keep = torch.rand_like(values) >= self.p
        return values * keep / (1.0 - self.p)


class ShapeError(ValueError):
    """Two tensors that must line up do not: a bug in the caller, not a user's error."""


def dot_product(user_vectors: Tensor, movie_vectors: Tensor) -> Tensor:
    """(B,) row-wise dot products of two (B, D) tensors; ShapeError when they differ.

    The original multiplied a (B, 1, 200) by a (B, 200) tensor, which broadcasts to
    (B, B, 200) without complaint; this check makes that mistake raise instead.
    """
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
        c = config
        self._register_tables(tables)

        # User tower: each feature gets an embedding and a dense layer of its own.
        self.user_embedding = nn.Embedding(tables.users, c.id_dim)
        user_width = 0
        if not c.id_shortcut:
            self.user_dense = nn.Linear(c.id_dim, c.feature_dim)
            user_width += c.feature_dim
        if self.demographics:
            self.gender_embedding = nn.Embedding(GENDERS, c.demographic_dim)
            self.age_embedding = nn.Embedding(AGES, c.demographic_dim)
            self.occupation_embedding = nn.Embedding(OCCUPATIONS, c.demographic_dim)
            self.gender_dense = nn.Linear(c.demographic_dim, c.feature_dim)
            self.age_dense = nn.Linear(c.demographic_dim, c.feature_dim)
            self.occupation_dense = nn.Linear(c.demographic_dim, c.feature_dim)
            user_width += 3 * c.feature_dim
        if c.history_dim:
            self.user_history_implicit = nn.EmbeddingBag(tables.movies, c.history_dim, mode="sum")
            self.user_history_explicit = nn.EmbeddingBag(tables.movies, c.history_dim, mode="sum")
            user_width += c.history_dim
        self.user_output = nn.Linear(user_width, c.vector_dim) if user_width else None

        # Movie tower: id, genres (summed; <PAD> is row 0 and stays zero), title text CNN.
        self.movie_embedding = nn.Embedding(tables.movies, c.id_dim)
        if not c.id_shortcut:
            self.movie_dense = nn.Linear(c.id_dim, c.feature_dim)
        self.genre_embedding = nn.Embedding(tables.genre_vocabulary, c.feature_dim, padding_idx=0)
        self.genre_dense = nn.Linear(c.feature_dim, c.feature_dim)
        self.word_embedding = nn.Embedding(tables.word_vocabulary, c.feature_dim, padding_idx=0)
        self.title_convolutions = nn.ModuleList(
            nn.Conv1d(c.feature_dim, c.text_filters, window) for window in c.text_windows
        )
        widest, narrowest = max(c.text_windows), min(c.text_windows)
        positions = tables.movie_titles.shape[1] - narrowest + 1
        # (filters, positions): 1 where an output position of the joint convolution (see
        # _title_features) lies wholly inside the title for that filter's window, else 0.
        valid = torch.cat([
            (torch.arange(positions) <= tables.movie_titles.shape[1] - window).expand(
                c.text_filters, positions)
            for window in c.text_windows
        ]).float()
        self.register_buffer("title_positions", valid, persistent=False)
        self.title_padding = widest - narrowest
        self.title_dropout = Dropout(c.title_dropout)
        movie_width = (c.feature_dim * (1 if c.id_shortcut else 2)
                       + len(c.text_windows) * c.text_filters)
        if c.history_dim:
            self.movie_history_implicit = nn.EmbeddingBag(tables.users, c.history_dim, mode="sum")
            self.movie_history_explicit = nn.EmbeddingBag(tables.users, c.history_dim, mode="sum")
            movie_width += c.history_dim
        self.movie_output = nn.Linear(movie_width, c.vector_dim)
        self.tower_dropout = Dropout(c.tower_dropout)

        if c.biases:
            self.user_bias = nn.Parameter(torch.zeros(tables.users))
            self.movie_bias = nn.Parameter(torch.zeros(tables.movies))
            self.global_bias = nn.Parameter(torch.zeros(()))
        self.reset_parameters()

    def _register_tables(self, tables: FeatureTables) -> None:
        longest = max(self.config.text_windows)
        if tables.movie_titles.shape[1] < longest:
            raise ShapeError(f"titles of {tables.movie_titles.shape[1]} words are shorter than "
                             f"the widest CNN window ({longest})")
        self.register_buffer("movie_genres", tables.movie_genres.long(), persistent=False)
        self.register_buffer("movie_titles", tables.movie_titles.long(), persistent=False)
        if self.demographics:
            for name in ("user_gender", "user_age", "user_occupation"):
                values = getattr(tables, name)
                if values.shape != (tables.users,):
                    raise ShapeError(f"{name} is {tuple(values.shape)}, expected "
                                     f"({tables.users},)")
                self.register_buffer(name, values.long(), persistent=False)
        if self.config.history_dim:
            if tables.user_history is None or tables.movie_history is None:
                raise ShapeError("a network with history_dim > 0 needs the rating histories")
            self.rating_offset = tables.rating_offset
            for side, history in (("user", tables.user_history), ("movie", tables.movie_history)):
                for part, values in history._asdict().items():
                    self.register_buffer(f"{side}_history_{part}", values, persistent=False)

    def use_histories(self, user_history: History, movie_history: History) -> None:
        """Read these rating histories from now on (the artifact's vectors use the whole
        training part, validation included, once it has served early stopping)."""
        for side, history in (("user", user_history), ("movie", movie_history)):
            for part, values in history._asdict().items():
                setattr(self, f"{side}_history_{part}",
                        values.to(getattr(self, f"{side}_history_{part}").device))

    def reset_parameters(self) -> None:
        """The original's initialisation (TF1 defaults): embeddings uniform in [-s, s], dense
        layers Glorot-uniform with zero bias, convolutions truncated normal 0.1 with bias 0.1,
        biases zero."""
        scale = self.config.embedding_scale
        for module in self.modules():
            if isinstance(module, nn.EmbeddingBag):
                nn.init.uniform_(module.weight, -scale, scale)
            elif isinstance(module, nn.Embedding):
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
        """(B, vector_dim) vectors of the users at indices `users` (B,).

        `leave_out` = (movies, ratings), each (B,): training pairs whose ratings the history
        feature must not contain (see `pair_vectors`).
        """
        codes = None
        if self.demographics:
            codes = (self.user_gender[users], self.user_age[users], self.user_occupation[users])
        history = None
        if self.config.history_dim:
            # As for movies: an active user's history is summed once per batch, not per row.
            distinct, rows = torch.unique(users, return_inverse=True)  # (N,), (B,)
            sums, counts = self._history_sums("user", distinct)  # (N, H), (N,)
            history = self._history_mean("user", sums[rows], counts[rows], leave_out)  # (B, H)
        return self.user_vectors(self.user_embedding(users), codes, history)  # (B, 200)

    def user_vectors(self, id_vectors: Tensor,
                     codes: tuple[Tensor, Tensor, Tensor] | None = None,
                     history: Tensor | None = None) -> Tensor:
        """(B, vector_dim) user vectors from id embeddings (B, id_dim), on demographic releases
        (gender, age index, occupation) codes, each (B,), and the history feature (B, H). A new
        user has neither an id embedding nor a history: the demographic vectors pass the mean
        embedding and no history (zeros) here."""
        features = [] if self.config.id_shortcut else [
            torch.relu(self.user_dense(id_vectors))]  # (B, 32)
        if self.demographics:
            if codes is None:
                raise ShapeError("this network's user tower needs demographic codes")
            gender, age, occupation = codes
            # Each code's dense features are computed once per table row (2, 7, 21 rows) and
            # then looked up: the same values as per user, at a fraction of the work.
            features += [
                torch.relu(self.gender_dense(self.gender_embedding.weight))[gender],  # (B, 32)
                torch.relu(self.age_dense(self.age_embedding.weight))[age],  # (B, 32)
                torch.relu(self.occupation_dense(self.occupation_embedding.weight))[occupation],
            ]
        if self.config.history_dim:
            if history is None:
                history = id_vectors.new_zeros(len(id_vectors), self.config.history_dim)
            features.append(history)  # (B, H)
        if not features:  # an id-only tower: plain matrix factorisation
            return self._activate(id_vectors)
        combined = self.tower_dropout(torch.cat(features, dim=1))  # (B, 128), or (B, 32)
        vectors = self.user_output(combined)  # (B, 200)
        return self._activate(vectors + id_vectors if self.config.id_shortcut else vectors)

    def movie_tower(self, movies: Tensor, leave_out: tuple[Tensor, Tensor] | None = None
                    ) -> Tensor:
        """(B, vector_dim) vectors of the movies at indices `movies` (B,); `leave_out` =
        (users, ratings) as in `user_tower`."""
        # Popular movies repeat within a batch, so the per-movie features are computed once per
        # distinct movie and spread to its rows; dropout still acts on every row on its own.
        distinct, rows = torch.unique(movies, return_inverse=True)  # (N,), (B,)
        movie = self.movie_embedding(distinct)  # (N, 32)
        if not self.config.id_shortcut:
            movie = torch.relu(self.movie_dense(movie))  # (N, 32)
        genres = self.genre_embedding(self.movie_genres[distinct]).sum(dim=1)  # (N, 32)
        genres = torch.relu(self.genre_dense(genres))  # (N, 32)
        words = self.word_embedding(self.movie_titles[distinct])  # (N, 15, 32)
        title = self.title_dropout(self._title_features(words)[rows])  # (N, 32) -> (B, 32)
        features = [genres[rows], title]
        if not self.config.id_shortcut:
            features.insert(0, movie[rows])
        if self.config.history_dim:
            sums, counts = self._history_sums("movie", distinct)  # (N, H), (N,)
            features.append(self._history_mean("movie", sums[rows], counts[rows], leave_out))
        combined = torch.cat(features, dim=1)  # (B, 96)
        vectors = self.movie_output(self.tower_dropout(combined))  # (B, 200)
        return self._activate(vectors + movie[rows] if self.config.id_shortcut else vectors)

    def _title_features(self, words: Tensor) -> Tensor:
        """(N, filters * windows) max-pooled text CNN features of (N, 15, 32) title words.

        The same as one Conv1d per window, ReLU and max over time, computed as one convolution:
        each window's filters are zero-padded to the widest window, the title is padded on the
        right to match, and positions that run past the title's end for a window are masked
        before the max (ReLU outputs are >= 0, so a masked 0 never wins). On a CPU this is
        ~2x faster than four small convolutions, forward and backward.
        """
        widest = max(self.config.text_windows)
        weight = torch.cat([
            nn.functional.pad(convolution.weight, (0, widest - convolution.weight.shape[2]))
            for convolution in self.title_convolutions
        ])  # (32, 32, 5)
        bias = torch.cat([convolution.bias for convolution in self.title_convolutions])  # (32,)
        channels = nn.functional.pad(words.transpose(1, 2), (0, self.title_padding))  # (N, 32, 18)
        outputs = torch.relu(nn.functional.conv1d(channels, weight, bias))  # (N, 32, 14)
        # max() rather than amax(): its backward is a cheap scatter, amax's a slow comparison.
        return (outputs * self.title_positions).max(dim=2).values  # (N, 32)

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
        weight = self.user_embedding.weight
        return (weight.new_zeros(self.user_count), weight.new_zeros(self.movie_count),
                weight.new_zeros(()))

    def new_user_vectors(self, gender: Tensor, age: Tensor, occupation: Tensor) -> Tensor:
        """(N, vector_dim) vectors of users known only by their demographic codes (N,): the
        mean id embedding stands in for their own, and they have no rating history."""
        mean_id = self.user_embedding.weight.mean(dim=0)  # (id_dim,)
        return self.user_vectors(mean_id.expand(len(gender), -1), (gender, age, occupation))

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
        user_vectors = self.user_tower(users, (movies, ratings) if known else None)  # (B, 200)
        movie_vectors = self.movie_tower(movies, (users, ratings) if known else None)  # (B, 200)
        return user_vectors, movie_vectors

    def forward(self, users: Tensor, movies: Tensor, ratings: Tensor | None = None) -> Tensor:
        """(B,) predicted ratings, not clipped, of the B pairs (users[i], movies[i]);
        `ratings` as in `pair_vectors`."""
        user_vectors, movie_vectors = self.pair_vectors(users, movies, ratings)
        return self.score(user_vectors, movie_vectors, users, movies)  # (B,)

    def _history_sums(self, side: str, rows: Tensor) -> tuple[Tensor, Tensor]:
        """(B, H) sums over each row's history of implicit + centred rating * explicit
        embeddings, and (B,) the history lengths."""
        indptr = getattr(self, f"{side}_history_indptr")
        implicit = getattr(self, f"{side}_history_implicit")
        explicit = getattr(self, f"{side}_history_explicit")
        starts = indptr[rows]  # (B,)
        lengths = indptr[rows + 1] - starts  # (B,)
        offsets = lengths.cumsum(0) - lengths  # (B,): where each row's bag starts
        entries = (torch.repeat_interleave(starts - offsets, lengths)
                   + torch.arange(int(lengths.sum()), device=rows.device))  # (R_batch,)
        others = getattr(self, f"{side}_history_others")[entries]
        centred = getattr(self, f"{side}_history_centred")[entries]
        sums = implicit(others, offsets) + explicit(others, offsets,
                                                    per_sample_weights=centred)  # (B, H)
        return sums, lengths.to(sums.dtype)

    def _history_mean(self, side: str, sums: Tensor, counts: Tensor,
                      leave_out: tuple[Tensor, Tensor] | None) -> Tensor:
        """(B, H) history means, each training pair's own rating taken out first."""
        if leave_out is not None:
            implicit = getattr(self, f"{side}_history_implicit")
            explicit = getattr(self, f"{side}_history_explicit")
            other, ratings = leave_out
            own = ratings - self.rating_offset
            sums = sums - implicit.weight[other] - own.unsqueeze(1) * explicit.weight[other]
            counts = counts - 1
        return sums / counts.clamp(min=1).unsqueeze(1)

    def _activate(self, vectors: Tensor) -> Tensor:
        if self.config.vector_activation == "linear":
            return vectors
        # tanh(x) = 2 sigmoid(2x) - 1; torch.tanh runs ~10x slower than sigmoid on this CPU
        # build (MKL's vector tanh), and the towers call it on every batch.
        return 2.0 * torch.sigmoid(2.0 * vectors) - 1.0
