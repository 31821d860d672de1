"""Title search: case-, accent- and article-insensitive, partial and typo-tolerant.

A query's words are matched against an inverted index of title words: whole words first, then
words the query word begins (typing in progress), then words one edit away (typos: the
symmetric-delete method, so no title is compared letter by letter unless it shares a deletion).
Every movie gets a match level from its worst-matched query word; ties go to the more rated.

Levels: 1.0 the whole title (article aside); 0.9 every word whole; 0.8 some word as a prefix;
0.7 / 0.6 some word corrected (one edit or a swap of two letters / two edits); below 0.5 only
some of the words found. Words with digits (years, sequel numbers) are never corrected.
"""

import bisect
import difflib
from collections import defaultdict

import numpy as np

from movierec.engine.catalogue import display_title
from movierec.engine.selection import best
from movierec.engine.text import ARTICLES, joined_words, key, tokens

WHOLE, PREFIX, CLOSE, LOOSE = 0.9, 0.8, 0.7, 0.6
MAX_QUERY_WORDS = 12
MIN_FUZZY_LENGTH = 4
"""Shorter words have too many one-edit neighbours for a correction to mean anything."""


class TitleIndex:
    """An inverted index of title words, built once per catalogue."""

    def __init__(self, raw_titles: list[str], years: list[int | None]) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[str, list[int]] = defaultdict(list)
        for movie, (title, year) in enumerate(zip(raw_titles, years, strict=True)):
            # The display title has the year off and the article in front, as people type it.
            bare = display_title(title)
            words = tokens(bare)
            main = key(tokens(bare.split(" (")[0]))
            identities = {main, key(words), *([f"{main} {year}"] if year else [])}
            for identity in identities:
                self.keys[identity].append(movie)
            extras = [*joined_words(bare), *([str(year)] if year else [])]
            for word in {*words, *extras}:
                postings[word].append(movie)
        self.vocabulary = sorted(postings)
        self._word_ids = {word: position for position, word in enumerate(self.vocabulary)}
        lengths = [len(postings[word]) for word in self.vocabulary]
        self._indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self._movies = np.fromiter(
            (movie for word in self.vocabulary for movie in postings[word]),
            dtype=np.int32,
            count=int(self._indptr[-1]),
        )
        self._deletions = _deletion_index(self.vocabulary)
        self.size = len(raw_titles)

    def search(
        self, query: str, popularity: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Up to n (movie index, match level) pairs, best match first, then most rated; only
        movies `allowed` (a boolean mask) lets through when given."""
        words = tokens(query)[:MAX_QUERY_WORDS]
        if not words:
            return []
        required = [word for word in words if word not in ARTICLES] or words
        optional = [word for word in words if word in ARTICLES and word not in required]
        levels = np.stack([self._word_levels(word) for word in required])
        found = np.count_nonzero(levels, axis=0)
        level = np.where(
            found == len(required),
            levels.min(axis=0),
            np.floor(5 * found / len(required)) / 10,
        )
        for movie in self.keys.get(key(words), ()):
            level[movie] = 1.0
        matched = level > 0
        candidates = np.flatnonzero(matched if allowed is None else matched & allowed)
        bonus = np.zeros(len(candidates), dtype=np.int64)
        for word in optional:
            bonus += self._word_levels(word)[candidates] > 0
        # One integer key (level, then optional words found, then popularity) lets argpartition
        # pick the n best of tens of thousands of candidates without sorting them all.
        tenths = np.rint(level[candidates] * 10).astype(np.int64)
        counts = np.asarray(popularity, dtype=np.int64)[candidates]
        span = int(counts.max(initial=0)) + 1
        rank_key = (tenths * (MAX_QUERY_WORDS + 1) + bonus) * span + counts
        chosen = candidates[best(rank_key.astype(np.float64), n)]
        return [(int(movie), round(float(level[movie]), 2)) for movie in chosen]

    def _word_levels(self, word: str) -> np.ndarray:
        """(M,) the level at which each title matches `word`, 0 where it does not."""
        levels = np.zeros(self.size, dtype=np.float32)
        # Assigned from the weakest to the strongest match so a title keeps its best one.
        if len(word) >= MIN_FUZZY_LENGTH and word.isalpha():
            for level, word_id in self._corrections(word):
                levels[self._postings(word_id, word_id + 1)] = level
        if len(word) >= 2:
            low = bisect.bisect_left(self.vocabulary, word)
            high = bisect.bisect_left(self.vocabulary, word + "\uffff", lo=low)
            levels[self._postings(low, high)] = PREFIX
        exact = self._word_ids.get(word)
        if exact is not None:
            levels[self._postings(exact, exact + 1)] = WHOLE
        return levels

    def _postings(self, low: int, high: int) -> np.ndarray:
        return self._movies[self._indptr[low] : self._indptr[high]]

    def _corrections(self, word: str) -> list[tuple[float, int]]:
        """(level, word id) of vocabulary words an edit or two from `word`, weakest first."""
        neighbours: set[int] = set()
        for variant in {word, *_deletions(word)}:
            neighbours.update(self._deletions.get(variant, ()))
            if variant in self._word_ids:
                neighbours.add(self._word_ids[variant])
        scored = []
        for word_id in neighbours:
            candidate = self.vocabulary[word_id]
            if candidate == word:
                continue
            if _one_edit(word, candidate):
                scored.append((CLOSE, word_id))
            elif difflib.SequenceMatcher(None, word, candidate).ratio() >= 0.75:
                scored.append((LOOSE, word_id))
        return sorted(scored)


def _one_edit(first: str, second: str) -> bool:
    """Whether one insertion, deletion, substitution or neighbour swap makes one the other."""
    if len(first) > len(second):
        first, second = second, first
    if len(second) - len(first) > 1:
        return False
    start = 0
    while start < len(first) and first[start] == second[start]:
        start += 1
    if len(first) < len(second):
        return first[start:] == second[start + 1 :]
    if first[start + 1 :] == second[start + 1 :]:
        return True
    swapped = first[start + 1 : start + 2] + first[start : start + 1]
    return swapped == second[start : start + 2] and first[start + 2 :] == second[start + 2 :]


def _deletions(word: str) -> list[str]:
    return [word[:position] + word[position + 1 :] for position in range(len(word))]


def _deletion_index(vocabulary: list[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for word_id, word in enumerate(vocabulary):
        if len(word) >= MIN_FUZZY_LENGTH:
            for variant in set(_deletions(word)):
                index[variant].append(word_id)
    return dict(index)
