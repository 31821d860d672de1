"""Title search: case-, accent- and article-insensitive, partial and typo-tolerant.

A query's words are matched against an inverted index of title words (alternative titles in
parentheses included): whole words first, then words the query word begins (typing in
progress), then, for a word no title has whole or begun, words one edit away (typos: the
symmetric-delete method, so no title is compared letter by letter unless it shares a deletion).
A word that titles do have is taken as meant: "heat" finds Heat, not "Head" corrected.

Every movie gets a match level from its worst-matched query word. Levels: 1.0 the whole title
(article aside, or an alternative title); 0.9 every word whole; 0.8 some word as a prefix;
0.7 / 0.6 some word corrected (one edit or a swap of two letters / two edits). Words with
digits (years, sequel numbers) are never corrected.

What a search lists, in order:
- the titles with every word, by level, then by how many of the query's word pairs they hold
  in the query's order (the phrase), then by optional articles found, then the most rated;
- after them, when room is left, a few movies the model puts beside the best match
  (`RelatedMovies`): "star wars" finds The Empire Strikes Back, whose title lacks both words;
- only when no title has every word: the titles spelled most like the query (`SpellingIndex`:
  "did you mean"), then the titles with some of the words, weighted by how rare each word is
  (level below 0.5), less than half as much of the query as the best of them cut away.
"""

import bisect
import difflib
import re
from collections import defaultdict
from itertools import pairwise
from typing import NamedTuple

import numpy as np

from movierec.engine.catalogue import display_title
from movierec.engine.related import RelatedMovies
from movierec.engine.results import SearchKind
from movierec.engine.selection import best
from movierec.engine.spelling import SpellingIndex
from movierec.engine.text import ARTICLES, joined_words, key, tokens

WHOLE, PREFIX, CLOSE, LOOSE = 0.9, 0.8, 0.7, 0.6
MAX_QUERY_WORDS = 12
MIN_FUZZY_LENGTH = 4
"""Shorter words have too many one-edit neighbours for a correction to mean anything."""
PARTIAL_SHARE = 0.5
"""A title with only some of the words is listed when it holds at least this share of what
the best such title holds (word weights by rarity): "star wars jedi" keeps Return of the
Jedi beside Star Wars, and drops Lone Star."""
SUGGESTIONS = 3
"""Titles offered as "did you mean" when no title has every word."""
RELATED = 3
"""At most this many related movies after the title matches."""

_ALSO_KNOWN_AS = ("a", "k", "a")
_PARENTHESES = re.compile(r"\(([^()]+)\)")


class Found(NamedTuple):
    """One search result: the movie's index, its match level and why it is listed."""

    movie: int
    level: float
    kind: SearchKind


class TitleIndex:
    """An inverted index of title words and word pairs, and the titles' letter triples; built
    once per catalogue. With `related` (the model's neighbours), a search lists related movies
    after the title matches."""

    def __init__(
        self,
        raw_titles: list[str],
        years: list[int | None],
        related: RelatedMovies | None = None,
    ) -> None:
        self._related = related
        postings: dict[str, list[int]] = defaultdict(list)
        pairs: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[str, list[int]] = defaultdict(list)
        names: list[tuple[int, str]] = []
        for movie, (title, year) in enumerate(zip(raw_titles, years, strict=True)):
            # The display title has the year off and the article in front, as people type it.
            bare = display_title(title)
            words = tokens(bare)
            main = key(tokens(bare.split(" (")[0]))
            alternatives = _alternative_titles(bare)
            identities = {main, key(words), *alternatives, *([f"{main} {year}"] if year else [])}
            for identity in identities:
                self.keys[identity].append(movie)
            names += [(movie, name) for name in {main, *alternatives} if name]
            extras = [*joined_words(bare), *([str(year)] if year else [])]
            for word in {*words, *extras}:
                postings[word].append(movie)
            for pair in {f"{first} {second}" for first, second in pairwise(words)}:
                pairs[pair].append(movie)
        self.vocabulary, self._word_ids, self._indptr, self._movies = _inverted(postings)
        self._pairs, _, self._pair_indptr, self._pair_movies = _inverted(pairs)
        self._deletions = _deletion_index(self.vocabulary)
        self._spelling = SpellingIndex(names)
        self.size = len(raw_titles)

    def find(
        self,
        query: str,
        popularity: np.ndarray,
        n: int,
        allowed: np.ndarray | None = None,
    ) -> list[Found]:
        """Up to n results for `query` (see the module's docstring for their order); only
        movies `allowed` (a boolean mask) lets through when given."""
        words = tokens(query)[:MAX_QUERY_WORDS]
        if not words:
            return []
        popularity = np.asarray(popularity, dtype=np.int64)
        level, every_word = self._levels(words)
        if allowed is not None:
            level[~allowed] = 0
            every_word &= allowed
        if every_word.any():
            chosen = self._ranked(words, np.where(every_word, level, 0), popularity, n)
            found = [Found(movie, float(level[movie]), "title") for movie in chosen]
            if self._related is not None and len(found) < n:
                related = self._related.related(
                    found[0].movie, min(RELATED, n - len(found)),
                    _without(allowed, chosen, self.size),
                )
                found += [Found(movie, 0.0, "related") for movie in related]
            return found
        suggested = self._spelling.closest(
            key(words), popularity, min(SUGGESTIONS, n), allowed
        )
        chosen = self._ranked(words, level, popularity, n - len(suggested), suggested)
        return [Found(movie, 0.0, "suggestion") for movie in suggested] + [
            Found(movie, float(level[movie]), "title") for movie in chosen
        ]

    def _levels(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(M,) match levels, rounded to hundredths, and (M,) whether the title has every word
        that counts (articles are optional unless the query is nothing else)."""
        required = [word for word in words if word not in ARTICLES] or words
        levels = np.stack([self._word_levels(word) for word in required])  # (W, M)
        matched = levels > 0
        every_word = matched.all(axis=0)
        # A word that few titles have says more than one most have ("the", "love").
        weights = np.log1p(self.size / np.maximum(matched.sum(axis=1), 1))  # (W,)
        share = weights @ matched / weights.sum()
        partial = np.where(share > 0, np.maximum(np.floor(49 * share) / 100, 0.01), 0.0)
        level = np.where(every_word, levels.min(axis=0), partial)
        for movie in self.keys.get(key(words), ()):
            level[movie] = 1.0
            every_word[movie] = True
        return np.round(level, 2), every_word

    def _ranked(
        self,
        words: list[str],
        level: np.ndarray,
        popularity: np.ndarray,
        n: int,
        listed_already: list[int] | None = None,
    ) -> list[int]:
        """The n movies of highest `level` (0: not listed) but those `listed_already`, ties
        broken by the phrase, the articles found, then popularity; partial matches under
        PARTIAL_SHARE of the best left out."""
        if n <= 0:
            return []
        top = level.max(initial=0)
        floor = PARTIAL_SHARE * top if top < 0.5 else 0.0
        listed = (level > 0) & (level >= floor)
        listed[listed_already or []] = False
        candidates = np.flatnonzero(listed)
        phrase = np.zeros(len(candidates), dtype=np.int64)
        for position in range(1, len(words)):
            pair = f"{words[position - 1]} {words[position]}"
            phrase += self._has_pair(pair, candidates, typing=position == len(words) - 1)
        articles = np.zeros(len(candidates), dtype=np.int64)
        for word in {word for word in words if word in ARTICLES}:
            articles += self._word_levels(word)[candidates] > 0
        # One integer key (level, phrase, articles, popularity) lets argpartition pick the n
        # best of tens of thousands of candidates without sorting them all.
        hundredths = np.rint(level[candidates] * 100).astype(np.int64)
        counts = popularity[candidates]
        span = int(counts.max(initial=0)) + 1
        words_span = MAX_QUERY_WORDS + 1
        rank_key = ((hundredths * words_span + phrase) * words_span + articles) * span + counts
        return candidates[best(rank_key.astype(np.float64), n)].tolist()

    def _has_pair(self, pair: str, movies: np.ndarray, typing: bool) -> np.ndarray:
        """(len(movies),) whether each title has the two words side by side; the second may be
        the start of a word when it is the last one typed."""
        low = bisect.bisect_left(self._pairs, pair)
        high = bisect.bisect_right(self._pairs, pair + ("\uffff" if typing else ""), lo=low)
        with_pair = self._pair_movies[self._pair_indptr[low] : self._pair_indptr[high]]
        return np.isin(movies, with_pair)

    def _word_levels(self, word: str) -> np.ndarray:
        """(M,) the level at which each title matches `word`, 0 where it does not."""
        levels = np.zeros(self.size, dtype=np.float32)
        exact = self._word_ids.get(word)
        low = high = 0
        if len(word) >= 2:
            low = bisect.bisect_left(self.vocabulary, word)
            high = bisect.bisect_left(self.vocabulary, word + "\uffff", lo=low)
        if exact is None and low == high:
            if len(word) >= MIN_FUZZY_LENGTH and word.isalpha():
                # Assigned from the weakest to the strongest so a title keeps its best one.
                for level, word_id in self._corrections(word):
                    levels[self._postings(word_id, word_id + 1)] = level
            return levels
        levels[self._postings(low, high)] = PREFIX
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


def _alternative_titles(bare: str) -> list[str]:
    """The keys of the titles in parentheses after the main one: "Seven (a.k.a. Se7en)" ->
    ["se7en"]; "Cité des enfants perdus, La" -> ["cite des enfants perdus"]."""
    keys = []
    for inside in _PARENTHESES.findall(bare):
        words = tokens(inside)
        if tuple(words[:3]) == _ALSO_KNOWN_AS:
            words = words[3:]
        if len(words) > 1 and words[-1] in ARTICLES and "," in inside:
            words = words[:-1]
        keys.append(key(words))
    return [name for name in keys if name]


def _without(allowed: np.ndarray | None, movies: list[int], size: int) -> np.ndarray:
    """`allowed` (everything when None) less `movies`."""
    mask = np.ones(size, dtype=bool) if allowed is None else allowed.copy()
    mask[movies] = False
    return mask


def _inverted(
    postings: dict[str, list[int]],
) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray]:
    """The sorted terms, their positions, and their movies as CSR (indptr, movies)."""
    terms = sorted(postings)
    positions = {term: position for position, term in enumerate(terms)}
    lengths = [len(postings[term]) for term in terms]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    movies = np.fromiter(
        (movie for term in terms for movie in postings[term]),
        dtype=np.int32,
        count=int(indptr[-1]),
    )
    return terms, positions, indptr, movies


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
