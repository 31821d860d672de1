"""Titles spelled like a query, for "did you mean": letter triples, not words.

A query that matches no title word by word may still be a title written differently: run
together ("toystory"), split ("spider man"), or misspelt past what a word correction forgives
("shawshenk redemtion"). Comparing letter triples of the whole title, spaces removed, finds
those. Similarity is Dice's coefficient of the two triple sets: 2 |shared| / (|query| + |title|).
"""

from collections import defaultdict

import numpy as np

from movierec.engine.selection import best

MIN_SIMILARITY = 0.5
"""Below this a title shares too few triples to be what the query meant. "toystory" is 1.0
from Toy Story, "jurasicpark" 0.87 from Jurassic Park, "godfater" 0.71 from The Godfather;
"matirx" is 0.46 from Matilda (ML-100K has no Matrix), "zzzz" 0.29 from Jazz."""
CLOSE_TO_BEST = 0.75
"""A name less alike than this share of the closest one's similarity is not offered beside it:
"pulpfiction" is 1.0 from Pulp Fiction and 0.55 from The Addiction."""


class SpellingIndex:
    """Every name of every movie (its title, its alternative titles) by its letter triples."""

    def __init__(self, names: list[tuple[int, str]]) -> None:
        """`names`: (movie index, folded name) pairs; a movie may have several names."""
        postings: dict[str, list[int]] = defaultdict(list)
        sizes = []
        for name_id, (_, name) in enumerate(names):
            grams = triples(name)
            sizes.append(len(grams))
            for gram in grams:
                postings[gram].append(name_id)
        self._gram_ids = {gram: position for position, gram in enumerate(postings)}
        lengths = [len(names_of) for names_of in postings.values()]
        self._indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self._names = np.fromiter(
            (name_id for names_of in postings.values() for name_id in names_of),
            dtype=np.int32,
            count=int(self._indptr[-1]),
        )
        self._sizes = np.array(sizes, dtype=np.float32)
        self._name_movie = np.array([movie for movie, _ in names], dtype=np.int64)

    def closest(
        self, query: str, popularity: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> list[int]:
        """Up to n movie indices whose names are spelled most like the folded `query`, closest
        first, then most rated; only names at least MIN_SIMILARITY alike, and CLOSE_TO_BEST
        as alike as the closest."""
        grams = triples(query)
        known = [self._gram_ids[gram] for gram in grams if gram in self._gram_ids]
        if not known:
            return []
        shared = np.bincount(
            np.concatenate([self._names[self._indptr[g] : self._indptr[g + 1]] for g in known]),
            minlength=len(self._sizes),
        )
        similarity = 2 * shared / (len(grams) + self._sizes)
        if allowed is not None:
            similarity[~allowed[self._name_movie]] = 0
        floor = max(MIN_SIMILARITY, CLOSE_TO_BEST * float(similarity.max()))
        # Rounded so that names equally close go by popularity, not by a last decimal.
        ranked = np.where(
            similarity >= floor,
            np.round(similarity, 2) * 1e9 + popularity[self._name_movie],
            -np.inf,
        )
        chosen: list[int] = []
        # A movie's names can all come first (a title and its alternative): take a few spare.
        for name_id in best(ranked, 3 * n).tolist():
            movie = int(self._name_movie[name_id])
            if movie not in chosen:
                chosen.append(movie)
        return chosen[:n]


def triples(name: str) -> set[str]:
    """The letter triples of `name` with its spaces removed and its ends marked, so that a
    short name still has some and the first and last letters count twice."""
    letters = f"^{name.replace(' ', '')}$"
    return {letters[start : start + 3] for start in range(len(letters) - 2)}
