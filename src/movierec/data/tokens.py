"""Turning titles into word lists: the seed's way, and a normalised way for the better preset."""

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
