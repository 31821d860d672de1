"""A poster's title laid out in lines: broken at spaces, in the biggest font size that fits.

No font is measured here (the SVG is drawn without one); widths come from a table of DejaVu Sans
Bold and Liberation Sans Bold advances, the wider of the two, rounded up. Browsers that pick a
narrower font of the stack only leave more room, so an estimate that errs wide keeps every line
inside the poster.
"""

import unicodedata
from dataclasses import dataclass

_EM_WIDTHS = {
    0.35: "ijl' ",
    0.40: "I,./:;\\|",
    0.45: "f-",
    0.50: "rt!()[]`",
    0.55: '"*',
    0.60: "cszJ_",
    0.65: "xL?",
    0.70: "0123456789aekovyEFT$",
    0.75: "bdghnpquCPSYZ{}",
    0.80: "ABKRVX",
    0.85: "DGHNU#+<=>^~",
    0.90: "OQ&",
    0.95: "w",
    1.00: "M@…",
    1.05: "m%",
    1.15: "W",
}
_WIDTH_OF = {char: width for width, chars in _EM_WIDTHS.items() for char in chars}
_UNKNOWN_WIDTH = 1.0
"""Characters outside the table (CJK, symbols) are counted a full em, the widest common case."""

SIZES = (38, 32, 27, 23, 20, 17)
"""Font sizes tried, biggest first: a short title fills the poster, a long one still reads."""
LINE_HEIGHT = 1.15
"""Baseline to baseline, in em."""
ELLIPSIS = "…"


@dataclass(frozen=True)
class TitleLayout:
    lines: tuple[str, ...]
    size: int


def text_width(text: str, size: float) -> float:
    """The width `text` takes at font size `size` (px), estimated on the wide side."""
    return size * sum(_character_width(character) for character in text)


def _character_width(character: str) -> float:
    if character in _WIDTH_OF:
        return _WIDTH_OF[character]
    # An accented letter is as wide as its base letter ("é" as "e").
    base = unicodedata.normalize("NFKD", character)[:1]
    return _WIDTH_OF.get(base, _UNKNOWN_WIDTH)


def wrap_at_spaces(text: str, *, width: float, size: float) -> list[str] | None:
    """`text` in lines no wider than `width`, broken only between words; None when one word
    alone is wider than a line (the caller shrinks the font, or at last hyphenates)."""
    lines: list[str] = []
    for word in text.split():
        if text_width(word, size) > width:
            return None
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(joined, size) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines or [""]


def wrap_hyphenating(text: str, *, width: float, size: float) -> list[str]:
    """Like wrap_at_spaces, but a word wider than a line is split over several, each piece
    ending in a hyphen (or at a hyphen the word already has)."""
    lines: list[str] = []
    for word in text.split():
        pieces = [word] if text_width(word, size) <= width else _split_word(word, width, size)
        for index, piece in enumerate(pieces):
            joined = f"{lines[-1]} {piece}" if lines else piece
            if index == 0 and lines and text_width(joined, size) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    return lines or [""]


def _split_word(word: str, width: float, size: float) -> list[str]:
    pieces: list[str] = []
    rest = word
    while text_width(rest, size) > width:
        # The longest head that fits with its hyphen; a head of one letter at least, so the
        # loop always advances even on an absurdly narrow line.
        cut = 1
        while cut < len(rest) - 1 and text_width(_with_hyphen(rest[: cut + 1]), size) <= width:
            cut += 1
        # Break after a hyphen the word already has, when that keeps most of the line: "Jean-"
        # rather than "Jean-Cl-".
        own_hyphen = rest.rfind("-", 0, cut)
        if own_hyphen >= cut // 2:
            cut = own_hyphen + 1
        pieces.append(_with_hyphen(rest[:cut]))
        rest = rest[cut:]
    return [*pieces, rest]


def _with_hyphen(head: str) -> str:
    return head if head.endswith("-") else f"{head}-"


def fit_title(title: str, *, width: float, height: float) -> TitleLayout:
    """The title in the biggest size whose lines, broken at spaces, fit `width` x `height`.

    Only when no size fits without breaking a word is a word hyphenated (in the smallest size);
    a title too long even for that ends in an ellipsis on the last line that fits.
    """
    for size in SIZES:
        lines = wrap_at_spaces(title, width=width, size=size)
        if lines is not None and len(lines) * size * LINE_HEIGHT <= height:
            return TitleLayout(tuple(lines), size)
    size = SIZES[-1]
    lines = wrap_hyphenating(title, width=width, size=size)
    most = max(1, int(height // (size * LINE_HEIGHT)))
    if len(lines) > most:
        lines = [*lines[: most - 1], _shorten_to_fit(lines[most - 1], width, size)]
    return TitleLayout(tuple(lines), size)


def _shorten_to_fit(line: str, width: float, size: float) -> str:
    """The line cut so that it and an ellipsis fit: the title goes on past it."""
    kept = line
    while kept and text_width(kept + ELLIPSIS, size) > width:
        kept = kept[:-1]
    return kept.rstrip(" -,.:;") + ELLIPSIS
