"""Title text: word lists (the seed's way, and a normalised way for the better preset), and
the placeholder titles that name no film."""

import re
import unicodedata

TITLE_LENGTH = 15
"""Title word ids are padded or cut to this many positions (the seed's sentence size)."""
PAD = "<PAD>"

_TRAILING_YEAR = re.compile(r"\s*\(\d{4}(?:[-–]\d{0,4})?\)\s*$")
_WORD = re.compile(r"[a-z0-9]+")


def strip_year(title: str) -> str:
    """The title without its trailing "(1995)"."""
    return _TRAILING_YEAR.sub("", title)


def seed_words(title: str) -> list[str]:
    """The seed's tokenisation: year stripped, split on whitespace, case and punctuation kept."""
    return strip_year(title).split()


def normalised_words(title: str) -> list[str]:
    """Lower-case, accents folded, split at anything that is not a letter or digit."""
    folded = unicodedata.normalize("NFKD", strip_year(title))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_only)


PLACEHOLDER_TITLES = frozenset({"", "unknown"})
"""Titles that stand for no title at all: ML-100K lists movie 267 as "unknown", with no year."""


def is_placeholder_title(title: str | None) -> bool:
    """Whether `title` names no film: empty, or the bare word "unknown" (any case).

    Only the bare word: a real film may be called "Unknown (2011)".
    """
    return (title or "").strip().casefold() in PLACEHOLDER_TITLES
