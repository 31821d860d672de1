"""Folding titles and queries to comparable tokens: no case, accents, punctuation or articles."""

import re
import unicodedata

ARTICLES = frozenset(
    {"the", "a", "an", "la", "le", "les", "l", "el", "il", "los", "las", "das", "der", "die"}
    | {"den", "det", "de", "het", "un", "una", "une", "lo", "gli"}
)
"""Articles: optional in a query, and dropped from the front of a title's key."""

_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ð": "d"}
    | {"&": " and "}
)
_ELIDED = re.compile(r"\b([cdjlmnst])['’]")
_APOSTROPHE = re.compile(r"['’`´]")
_HYPHENATED = re.compile(r"\w+(?:-\w+)+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents off, punctuation to spaces: "Amélie (L'Été)" -> "amelie l ete"."""
    text = _strip_accents(text.casefold().translate(_LETTERS))
    # "L'Argent" is "l argent" (so "argent" matches), "Schindler's" is "schindlers".
    text = _APOSTROPHE.sub("", _ELIDED.sub(r"\1 ", text))
    return _NOT_WORD.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """The words of `text` after `fold`."""
    return fold(text).split()


def joined_words(text: str) -> list[str]:
    """Hyphenated words written as one ("Spider-Man" -> "spiderman"), as people often type them."""
    if "-" not in text:
        return []
    folded = _APOSTROPHE.sub("", _strip_accents(text.casefold()))
    return [fold(word).replace(" ", "") for word in _HYPHENATED.findall(folded)]


def key(words: list[str]) -> str:
    """A title's identity for exact matching: its words without a leading article."""
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def _strip_accents(text: str) -> str:
    # Most titles are plain ASCII: skip the per-character pass (a third of the index build).
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
