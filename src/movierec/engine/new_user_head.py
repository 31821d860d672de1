"""The new-user head with numpy: scores for someone known only by a few ratings.

    score(m) = prior[m] + v_m . (demographics + sum_j t_j / (k + shrink))
    t_j = implicit @ v_j + (s_j - offset) * (explicit @ v_j)

v the rating head's movie vectors, prior = log(1 + liked training ratings). Linear in the
profile, so `Profile.shares` is each rating's exact part of every movie's score: what lets a
reason name the rating that drove a pick, and only that one (see `drivers`).
See `movierec.model.new_user_head` for how it is fitted.
"""

import math
from dataclasses import dataclass

import numpy as np

from movierec.engine.demographics import Demographics

DEMOGRAPHIC_PARTS = ("gender", "age", "occupation")
MATERIAL_SHARE = math.log(1.2)
"""The least share a rating must add to a movie's score to count as having made the pick. The
scores are a softmax's logits, so this raises the movie's odds by a fifth: a share too small to
matter may still break a near tie at the bottom of the list, and naming it would mislead."""


@dataclass(frozen=True)
class Profile:
    """One new user's scores, split into what the head knew before and what each rating adds."""

    base: np.ndarray
    """(M,) float64 the score before any rating: prior and demographics."""
    shares: np.ndarray
    """(k, M) float64 what each of the k ratings adds to every movie's score."""

    @property
    def scores(self) -> np.ndarray:
        """(M,) float64."""
        return self.base + self.shares.sum(axis=0)

    def drivers(self, chosen: np.ndarray, cutoff: float, citable: np.ndarray
                ) -> list[int | None]:
        """For each chosen movie, the profile position of the rating that drove it into the
        list, or None. A rating drove a pick when it is `citable` (k,) (a liked rating of a
        listed movie), its share of the pick's score is the largest and at least
        `MATERIAL_SHARE`, and without that share the pick would have scored below `cutoff`
        (the best score left out of the list): without that rating, it would not be there."""
        if not len(self.shares):
            return [None] * len(chosen)
        scores = self.scores
        found: list[int | None] = []
        for movie in chosen.tolist():
            shares = np.where(citable, self.shares[:, movie], -np.inf)
            strongest = int(np.argmax(shares))
            share = float(shares[strongest])
            made_it = share >= MATERIAL_SHARE and scores[movie] - share < cutoff
            found.append(strongest if made_it else None)
        return found


@dataclass(frozen=True)
class NewUserHead:
    """The head's arrays and settings, as the artifact stores them."""

    implicit: np.ndarray
    """(D, D) acting on the sum of the profile's movie vectors."""
    explicit: np.ndarray
    """(D, D) acting on their sum weighted by the centred stars."""
    demographics: dict[str, np.ndarray]
    """"gender" (2, D), "age" (7, D), "occupation" (21, D): added for the parts known; empty
    when the model was trained without demographics."""
    prior: np.ndarray
    """(M,) log(1 + liked training ratings)."""
    shrink: float
    rating_offset: float

    def profile(self, movie_vectors: np.ndarray, who: Demographics, movies: np.ndarray,
                stars: np.ndarray) -> Profile:
        """The scores of someone with demographics `who` (any part may be missing) who gave
        `stars` to the movies at indices `movies` (possibly none)."""
        user = np.zeros(self.implicit.shape[0])
        if self.demographics:
            for part, index in zip(DEMOGRAPHIC_PARTS, who.indices, strict=True):
                if index is not None:
                    user = user + self.demographics[part][index]
        # The (M, D) movie vectors stay float32: a request multiplies them, never copies them.
        dtype = movie_vectors.dtype
        base = self.prior + (movie_vectors @ user.astype(dtype)).astype(np.float64)
        if not len(movies):
            return Profile(base, np.zeros((0, len(base))))
        rated = movie_vectors[movies].astype(np.float64)  # (k, D)
        centred = np.asarray(stars, dtype=np.float64) - self.rating_offset
        terms = rated @ self.implicit.T + centred[:, None] * (rated @ self.explicit.T)  # (k, D)
        terms /= len(movies) + self.shrink
        shares = (movie_vectors @ terms.T.astype(dtype)).T  # (k, M)
        return Profile(base, shares.astype(np.float64))
