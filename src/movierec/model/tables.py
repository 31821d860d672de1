"""The data a network reads besides its weights: per-user and per-movie inputs by dense index,
and the training ratings as CSR rows for the history feature."""

from typing import NamedTuple

from torch import Tensor


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
