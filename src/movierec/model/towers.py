"""The two towers: each turns one side's features into the vector whose dot product with the
other side's is the rating.

User: id embedding (-> dense), gender / age / occupation (embedding -> dense), rating history.
Movie: id embedding (-> dense), genres (summed embedding -> dense), title CNN, rating history.
Each tower concatenates its features and maps them to `vector_dim` with one linear layer.
"""

import torch
from torch import Tensor, nn

from movierec.model.config import AGES, GENDERS, OCCUPATIONS, NetworkConfig
from movierec.model.history import RatingHistory
from movierec.model.tables import FeatureTables
from movierec.model.title_cnn import TitleCNN


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


def activate(vectors: Tensor, activation: str) -> Tensor:
    """The towers' output activation: "linear" or "tanh"."""
    if activation == "linear":
        return vectors
    # tanh(x) = 2 sigmoid(2x) - 1; torch.tanh runs ~10x slower than sigmoid on this CPU build
    # (MKL's vector tanh), and the towers call it on every batch.
    return 2.0 * torch.sigmoid(2.0 * vectors) - 1.0


class CodeFeature(nn.Module):
    """A categorical code (gender, age group, occupation): embedding -> dense + ReLU."""

    def __init__(self, codes: int, width: int, features: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(codes, width)
        self.dense = nn.Linear(width, features)

    def forward(self, codes: Tensor) -> Tensor:
        # Computed once per table row (2, 7 or 21 rows), then looked up: the same values as
        # per user, at a fraction of the work.
        return torch.relu(self.dense(self.embedding.weight))[codes]  # (B, features)


class UserTower(nn.Module):
    """(B, vector_dim) vectors of users given by index."""

    def __init__(self, config: NetworkConfig, tables: FeatureTables) -> None:
        super().__init__()
        self.config = config
        c = config
        self.embedding = nn.Embedding(tables.users, c.id_dim, sparse=True)
        self.dense = None if c.id_shortcut else nn.Linear(c.id_dim, c.feature_dim)
        width = 0 if c.id_shortcut else c.feature_dim
        self.demographics = tables.has_demographics
        if self.demographics:
            self.gender = CodeFeature(GENDERS, c.demographic_dim, c.feature_dim)
            self.age = CodeFeature(AGES, c.demographic_dim, c.feature_dim)
            self.occupation = CodeFeature(OCCUPATIONS, c.demographic_dim, c.feature_dim)
            for name in ("user_gender", "user_age", "user_occupation"):
                values = getattr(tables, name)
                if values.shape != (tables.users,):
                    raise ValueError(f"{name} is {tuple(values.shape)}, expected "
                                     f"({tables.users},)")
                self.register_buffer(name.removeprefix("user_") + "_codes", values.long(),
                                     persistent=False)
            width += 3 * c.feature_dim
        self.history = None
        if c.history_dim:
            self.history = RatingHistory(tables.movies, c.history_dim, c.history_sample,
                                         c.history_refreshes)
            width += c.history_dim  # the history is the last feature (see new_user_tower)
        self.output = nn.Linear(width, c.vector_dim) if width else None
        self.dropout = Dropout(c.tower_dropout)

    def forward(self, users: Tensor, leave_out: tuple[Tensor, Tensor] | None = None) -> Tensor:
        """`leave_out` = (movies, ratings), each (B,): training pairs kept out of the history."""
        codes = None
        if self.demographics:
            codes = (self.gender_codes[users], self.age_codes[users],
                     self.occupation_codes[users])
        history = None if self.history is None else self.history(users, leave_out)  # (B, H)
        return self.vectors(self.embedding(users), codes, history)  # (B, 200)

    def vectors(self, id_vectors: Tensor, codes: tuple[Tensor, Tensor, Tensor] | None = None,
                history: Tensor | None = None) -> Tensor:
        """(B, vector_dim) from id embeddings (B, id_dim), on demographic releases the (gender,
        age index, occupation) codes, each (B,), and the history feature (B, H). A new user has
        neither an id embedding nor a history: they pass the mean embedding and no history."""
        features = [] if self.dense is None else [torch.relu(self.dense(id_vectors))]  # (B, 32)
        if self.demographics:
            if codes is None:
                raise ValueError("this network's user tower needs demographic codes")
            gender, age, occupation = codes
            features += [self.gender(gender), self.age(age), self.occupation(occupation)]
        if self.history is not None:
            if history is None:
                history = id_vectors.new_zeros(len(id_vectors), self.config.history_dim)
            features.append(history)  # (B, H)
        if self.output is None:  # an id-only tower: plain matrix factorisation
            return activate(id_vectors, self.config.vector_activation)
        vectors = self.output(self.dropout(torch.cat(features, dim=1)))  # (B, 128) -> (B, 200)
        if self.dense is None:
            vectors = vectors + id_vectors
        return activate(vectors, self.config.vector_activation)


class MovieTower(nn.Module):
    """(B, vector_dim) vectors of movies given by index."""

    def __init__(self, config: NetworkConfig, tables: FeatureTables) -> None:
        super().__init__()
        self.config = config
        c = config
        self.register_buffer("genres", tables.movie_genres.long(), persistent=False)
        self.register_buffer("titles", tables.movie_titles.long(), persistent=False)
        self.embedding = nn.Embedding(tables.movies, c.id_dim, sparse=True)
        self.dense = None if c.id_shortcut else nn.Linear(c.id_dim, c.feature_dim)
        self.genre_embedding = nn.Embedding(tables.genre_vocabulary, c.feature_dim, padding_idx=0)
        self.genre_dense = nn.Linear(c.feature_dim, c.feature_dim)
        self.title = TitleCNN(tables.word_vocabulary, c.feature_dim, c.text_windows,
                              c.text_filters, tables.movie_titles.shape[1])
        self.title_dropout = Dropout(c.title_dropout)
        width = (c.feature_dim * (1 if c.id_shortcut else 2)
                 + len(c.text_windows) * c.text_filters)
        self.history = None
        if c.history_dim:
            self.history = RatingHistory(tables.users, c.history_dim, c.history_sample,
                                         c.history_refreshes)
            width += c.history_dim
        self.output = nn.Linear(width, c.vector_dim)
        self.dropout = Dropout(c.tower_dropout)

    def forward(self, movies: Tensor, leave_out: tuple[Tensor, Tensor] | None = None) -> Tensor:
        """`leave_out` = (users, ratings), each (B,): training pairs kept out of the history."""
        # Popular movies repeat within a batch, so the per-movie features are computed once per
        # distinct movie and spread to its rows; dropout still acts on every row on its own.
        distinct, rows = torch.unique(movies, return_inverse=True)  # (N,), (B,)
        movie = self.embedding(distinct)  # (N, 32)
        if self.dense is not None:
            movie = torch.relu(self.dense(movie))  # (N, 32)
        genres = self.genre_embedding(self.genres[distinct]).sum(dim=1)  # (N, 32)
        genres = torch.relu(self.genre_dense(genres))  # (N, 32)
        title = self.title_dropout(self.title(self.titles[distinct])[rows])  # (B, 32)
        features = [genres[rows], title]
        if self.dense is not None:
            features.insert(0, movie[rows])
        if self.history is not None:
            features.append(self.history(movies, leave_out))  # (B, H)
        vectors = self.output(self.dropout(torch.cat(features, dim=1)))  # (B, 96) -> (B, 200)
        if self.dense is None:
            vectors = vectors + movie[rows]
        return activate(vectors, self.config.vector_activation)
