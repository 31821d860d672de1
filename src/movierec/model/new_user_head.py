"""The new-user head: what someone who has rated only a few movies will like next.

It scores every movie m for a profile of k ratings (movie j with stars s_j) as

    score(m) = prior[m] + v_m . u
    u = demographics + (W_i @ sum_j v_j + W_e @ sum_j (s_j - offset) v_j) / (k + shrink)

with v the rating head's movie vectors (frozen: the head learns how a profile moves a person,
not what the movies are) and prior = log(1 + the movie's liked ratings in training). The prior
carries a new person while the profile is small; the `k + shrink` denominator lets the taste
take over as it grows, and the centred stars let a low rating push its kind away.

The prior is fixed, not learnt: a learnt gain on it and a learnt base vector (a second, free
movie bias) both fitted what the training users happened to like later, and lost on new ones
(docs/experiments.md). Everything is linear in the profile, so each rating's share of a movie's
score is exact (`movierec.engine.new_user_head.Profile.shares`), which is what lets a reason
name the rating that drove a pick.
"""

import torch
from torch import Tensor, nn

from movierec.data.codes import AGE_BUCKETS, GENDERS, OCCUPATIONS

DEMOGRAPHIC_SIZES = {"gender": len(GENDERS), "age": len(AGE_BUCKETS),
                     "occupation": len(OCCUPATIONS)}
"""Rows of each demographic table, indexed as the features index them (gender 0/1, age bucket
index 0..6, occupation code 0..20); an unknown part adds no row."""


class NewUserHead(nn.Module):
    """The profile -> user vector map; the movie vectors and the prior are inputs."""

    def __init__(self, dim: int, *, demographics: bool, shrink: float = 2.0) -> None:
        super().__init__()
        self.implicit = nn.Linear(dim, dim, bias=False)
        self.explicit = nn.Linear(dim, dim, bias=False)
        # A profile starts by changing nothing: the untrained head is the prior alone.
        nn.init.zeros_(self.implicit.weight)
        nn.init.zeros_(self.explicit.weight)
        self.demographics = nn.ModuleDict(
            {name: nn.Embedding(size, dim) for name, size in DEMOGRAPHIC_SIZES.items()}
            if demographics else {})
        for table in self.demographics.values():
            nn.init.zeros_(table.weight)
        # softplus(raw) is the shrink: it stays positive however the optimiser moves it.
        self.raw_shrink = nn.Parameter(torch.tensor(_softplus_inverse(shrink)))

    @property
    def shrink(self) -> Tensor:
        return nn.functional.softplus(self.raw_shrink)

    def user_vectors(self, movie_vectors: Tensor, profiles: Tensor, stars: Tensor,
                     lengths: Tensor, who: Tensor | None = None) -> Tensor:
        """(B, D) user vectors of B profiles: `profiles` (B, L) movie indices, the first
        `lengths` (B,) of each row real; `stars` (B, L) centred on the head's offset; `who`
        (B, 3) gender, age, occupation indices, -1 where unknown (None: all unknown)."""
        real = (torch.arange(profiles.shape[1], device=profiles.device)[None, :]
                < lengths[:, None]).to(movie_vectors.dtype)  # (B, L)
        vectors = movie_vectors[profiles] * real[..., None]  # (B, L, D)
        denominator = lengths[:, None].to(movie_vectors.dtype) + self.shrink
        liked = vectors.sum(dim=1) / denominator  # (B, D)
        rated = (vectors * stars[..., None]).sum(dim=1) / denominator  # (B, D)
        users = self.implicit(liked) + self.explicit(rated)
        if who is not None and len(self.demographics):
            for column, table in enumerate(self.demographics.values()):
                known = who[:, column] >= 0
                users = users + table(who[:, column].clamp(min=0)) * known[:, None]
        return users

    def scores(self, user_vectors: Tensor, movie_vectors: Tensor, prior: Tensor) -> Tensor:
        """(B, M) scores of every movie for each user vector."""
        return user_vectors @ movie_vectors.T + prior


def _softplus_inverse(value: float) -> float:
    return float(torch.log(torch.expm1(torch.tensor(value))))
