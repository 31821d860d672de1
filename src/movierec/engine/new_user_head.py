"""The new-user head with numpy: scores for someone known only by a few ratings.

    score(m) = prior[m] + v_m . (demographics + sum_j t_j / (k + shrink))
    t_j = implicit @ v_j + (s_j - offset) * (explicit @ v_j)

v the rating head's movie vectors, prior = log(1 + liked training ratings). A list costs one
product of the movie vectors with the summed user vector, as a known user's does. Linear in
the profile, so v_m . t_j / (k + shrink) is rating j's exact share of movie m's score: what
lets a reason name the rating that drove a pick, and only that one (see `Profile.drivers`).
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
    """One new user as the head sees them: every movie's score, and what each rating added."""

    scores: np.ndarray
    """(M,) float64."""
    terms: np.ndarray
    """(k, D) float64 each rating's part of the user vector: t_j / (k + shrink)."""
    movie_vectors: np.ndarray
    """(M, D) the vectors the scores were made with."""

    def drivers(self, chosen: np.ndarray, cutoff: float, citable: np.ndarray
                ) -> list[int | None]:
        """For each chosen movie, the profile position of the rating that drove it into the
        list, or None. A rating drove a pick when it is `citable` (k,) (a liked rating of a
        listed movie), its share of the pick's score is the largest and at least
        `MATERIAL_SHARE`, and without that share the pick would have scored below `cutoff`
        (the best score left out of the list): without that rating, it would not be there."""
        if not len(self.terms) or not len(chosen):
            return [None] * len(chosen)
        shares = self.terms @ self.movie_vectors[chosen].T.astype(np.float64)  # (k, n)
        shares[~citable] = -np.inf
        strongest = shares.argmax(axis=0)  # (n,)
        found: list[int | None] = []
        for column, (movie, rating) in enumerate(zip(chosen.tolist(), strongest.tolist(),
                                                     strict=True)):
            share = float(shares[rating, column])
            made_it = share >= MATERIAL_SHARE and self.scores[movie] - share < cutoff
            found.append(rating if made_it else None)
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
        terms = np.zeros((0, len(user)))
        if len(movies):
            rated = movie_vectors[movies].astype(np.float64)  # (k, D)
            centred = np.asarray(stars, dtype=np.float64) - self.rating_offset
            terms = rated @ self.implicit.T + centred[:, None] * (rated @ self.explicit.T)
            terms /= len(movies) + self.shrink
            user = user + terms.sum(axis=0)
        # The (M, D) movie vectors stay float32: a request multiplies them, never copies them.
        scores = self.prior + (movie_vectors @ user.astype(movie_vectors.dtype)).astype(np.float64)
        return Profile(scores, terms, movie_vectors)
