"""The ranking head's loss: a softmax over movies, with each training rating as a positive.

For a batch of (user, movie) ratings, every user's vector is scored against a set of candidate
movies (the batch's own movies, or the whole catalogue) and the loss is the cross-entropy of
picking the movie the user actually rated. Three corrections keep that honest:

- log-Q: with in-batch candidates a popular movie is a negative far more often than a rare one,
  which would teach the towers to push popular movies down. Subtracting the log of each
  candidate's chance of being in a batch removes that sampling bias (Yi et al., RecSys 2019).
- seen mask: the user's other training movies are not negatives; they are left out.
- popularity correction (lambda >= 0): lambda * log(popularity) is added to each logit while
  training, so the learnt score is the preference with that much popularity taken out
  (logit adjustment, Menon et al., ICLR 2021); lists then reach further into the catalogue.

Positives rated below the "liked" threshold may weigh less than liked ones.
"""

from typing import NamedTuple

import torch
from torch import Tensor

from movierec.training.config import RankingConfig


class Candidates(NamedTuple):
    """The movies a batch's positives compete with."""

    movies: Tensor
    """(C,) movie indices, distinct."""
    targets: Tensor
    """(B,) column of each positive's own movie in `movies`."""
    offsets: Tensor
    """(C,) added to every row's logits for these columns (the corrections)."""


class SoftmaxObjective:
    """Cross-entropy of each rating's movie against the candidates, corrections applied."""

    def __init__(self, users: Tensor, movies: Tensor, config: RankingConfig, *, user_count: int,
                 movie_count: int) -> None:
        """`users`, `movies`: (R,) the training ratings, indices below `user_count` and
        `movie_count`; they define popularity and what each user has seen."""
        self.config = config
        self.movie_count = movie_count
        counts = torch.bincount(movies, minlength=movie_count).double()
        share = counts / counts.sum()
        # A movie no one rated in training has no popularity to speak of; half a rating keeps
        # its logarithm finite (it is only ever a candidate under "all").
        floor = 0.5 / float(counts.sum())
        self.log_popularity = share.clamp(min=floor).log().float()
        # Chance that a batch of B ratings drawn uniformly holds the movie at least once.
        inclusion = -torch.expm1(config.batch_size * torch.log1p(-share.clamp(max=1 - 1e-12)))
        self.log_inclusion = inclusion.clamp(min=1e-30).log().float()
        # Each user's training movies as CSR rows.
        order = torch.argsort(users, stable=True)
        self.seen_indptr = torch.cat([torch.zeros(1, dtype=torch.int64, device=users.device),
                                      torch.bincount(users, minlength=user_count).cumsum(0)])
        self.seen_movies = movies[order]

    def to(self, device: torch.device) -> "SoftmaxObjective":
        for name in ("log_popularity", "log_inclusion", "seen_indptr", "seen_movies"):
            setattr(self, name, getattr(self, name).to(device))
        return self

    def candidates(self, movies: Tensor) -> Candidates:
        """The candidates of a batch whose positives are `movies` (B,)."""
        adjustment = self.config.popularity_correction
        if self.config.negatives == "all":
            every = torch.arange(self.movie_count, device=movies.device)
            return Candidates(every, movies, adjustment * self.log_popularity)
        distinct, targets = torch.unique(movies, return_inverse=True)
        offsets = (adjustment * self.log_popularity[distinct]
                   - self.log_inclusion[distinct])
        return Candidates(distinct, targets, offsets)

    def loss(self, user_vectors: Tensor, movie_vectors: Tensor, users: Tensor,
             candidates: Candidates, ratings: Tensor | None = None) -> Tensor:
        """Cross-entropy of (B, D) user vectors against the (C, D) candidates' vectors, averaged
        with each positive's weight (by its rating, (B,); None: all weigh 1)."""
        logits = user_vectors @ movie_vectors.T + candidates.offsets  # (B, C)
        if self.config.mask_seen:
            seen = self.seen(users, candidates.movies)  # (B, C)
            seen[torch.arange(len(users), device=users.device), candidates.targets] = False
            logits = logits.masked_fill(seen, float("-inf"))
        if ratings is None or self.config.disliked_weight == 1:
            return torch.nn.functional.cross_entropy(logits, candidates.targets)
        weights = torch.where(ratings >= self.config.liked_rating, 1.0,
                              self.config.disliked_weight)
        losses = torch.nn.functional.cross_entropy(logits, candidates.targets, reduction="none")
        return (losses * weights).sum() / weights.sum()

    def seen(self, users: Tensor, movies: Tensor) -> Tensor:
        """(B, C): whether each of `users` (B,) rated each of the distinct `movies` (C,) in
        training. Built from the batch users' rows, so it costs their ratings, not B * C
        look-ups."""
        column = torch.full((self.movie_count,), -1, dtype=torch.int64, device=movies.device)
        column[movies] = torch.arange(len(movies), device=movies.device)
        distinct, rows = torch.unique(users, return_inverse=True)  # (N,), (B,)
        starts = self.seen_indptr[distinct]
        lengths = self.seen_indptr[distinct + 1] - starts
        owners = torch.repeat_interleave(torch.arange(len(distinct), device=users.device),
                                         lengths)  # (R,)
        offsets = lengths.cumsum(0) - lengths
        entries = (torch.repeat_interleave(starts - offsets, lengths)
                   + torch.arange(int(lengths.sum()), device=users.device))
        columns = column[self.seen_movies[entries]]  # (R,), -1 where not a candidate
        hit = columns >= 0
        mask = torch.zeros(len(distinct), len(movies), dtype=torch.bool, device=users.device)
        mask[owners[hit], columns[hit]] = True
        return mask[rows]
