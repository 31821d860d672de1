"""Choosing what a reason points at: which of your ratings a recommendation follows from."""

import numpy as np

MAX_ANCHORS = 500
"""Liked movies considered per request: a heavy rater's best 500 explain as well as all."""


def closest_liked(
    chosen: np.ndarray,
    rated: np.ndarray,
    stars: np.ndarray,
    unit_movies: np.ndarray,
    liked: float,
) -> list[tuple[int, float] | None]:
    """For each chosen movie: (rated movie, stars) of the liked movie most similar to it.

    `rated`/`stars` are the person's ratings; a movie counts as liked from `liked` stars up.
    A chosen movie the person rated points at itself. None where nothing rated was liked.
    """
    keep = stars >= liked
    anchors, anchor_stars = rated[keep], stars[keep]
    if len(anchors) > MAX_ANCHORS:
        top = np.argsort(-anchor_stars, kind="stable")[:MAX_ANCHORS]
        anchors, anchor_stars = anchors[top], anchor_stars[top]
    closest: list[tuple[int, float] | None] = [None] * len(chosen)
    if len(anchors):
        similarity = unit_movies[chosen] @ unit_movies[anchors].T
        # Among equally similar anchors, the better-rated one makes the stronger reason.
        slots = np.argmax(similarity + 1e-6 * anchor_stars[None, :], axis=1)
        closest = [(int(anchors[slot]), float(anchor_stars[slot])) for slot in slots]
    for position in np.flatnonzero(np.isin(chosen, rated)):
        own = np.flatnonzero(rated == chosen[position])[0]
        closest[position] = (int(rated[own]), float(stars[own]))
    return closest
