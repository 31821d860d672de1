"""A poster's title laid out in lines: broken at spaces, in the biggest font size that fits.

Chinese has no spaces: a line may break between any two Chinese characters (as CSS's
`line-break: strict` would), except before closing punctuation ("：", "。", "）") or after
opening punctuation ("（", "《"); a run of Latin letters or digits inside it stays whole.

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
"""Characters outside the table (symbols) are counted a full em, the widest common case."""
_FULL_WIDTH = 1.0
"""Chinese characters and full-width punctuation take a whole em in every CJK font."""
_NO_LINE_START = "，。、：；！？）」』】》〉〕”’…‥·・～%,.:;!?)]}"
"""Closing punctuation: it stays on the line of the character before it."""
_SUBTITLE_MARK = "："
"""The full-width colon that parts a Chinese title from its subtitle."""
_NO_LINE_END = "（「『【《〈〔“‘([{"
"""Opening punctuation: it stays on the line of the character after it."""

SIZES = (38, 32, 27, 23, 20, 17)
"""Font sizes tried, biggest first: a short title fills the poster, a long one still reads."""
LINE_HEIGHT = 1.15
"""Baseline to baseline, in em."""
ELLIPSIS = "…"


@dataclass(frozen=True)
class TitleLayout:
    lines: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class _Piece:
    """A part of the title no line may break inside: a word, or one Chinese character with
    the punctuation that clings to it."""

    text: str
    spaced: bool
    """Whether a space parts it from the piece before (a break between words)."""


def text_width(text: str, size: float) -> float:
    """The width `text` takes at font size `size` (px), estimated on the wide side."""
    return size * sum(_character_width(character) for character in text)


def _character_width(character: str) -> float:
    if character in _WIDTH_OF:
        return _WIDTH_OF[character]
    if _is_wide(character):
        return _FULL_WIDTH
    # An accented letter is as wide as its base letter ("é" as "e").
    base = unicodedata.normalize("NFKD", character)[:1]
    return _WIDTH_OF.get(base, _UNKNOWN_WIDTH)


def _is_wide(character: str) -> bool:
    """A Chinese character or full-width sign: no space around it, a break possible on either
    side (full-width "：" too, which NFKD would otherwise take for a narrow ":")."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def _pieces(text: str) -> list[_Piece]:
    """The title cut at every place a line may break: between words, and between Chinese
    characters (a run of Latin letters or digits among them stays whole)."""
    pieces: list[_Piece] = []
    for word in text.split():
        parts: list[str] = []
        for character in word:
            clings = parts and (
                character in _NO_LINE_START
                or parts[-1][-1] in _NO_LINE_END
                or not (_is_wide(character) or _is_wide(parts[-1][-1]))
            )
            if clings:
                parts[-1] += character
            else:
                parts.append(character)
        pieces.extend(
            _Piece(part, spaced=bool(pieces) and index == 0) for index, part in enumerate(parts)
        )
    return pieces


def _joined(line: str, piece: _Piece) -> str:
    return f"{line} {piece.text}" if piece.spaced else f"{line}{piece.text}"


def wrap_at_spaces(text: str, *, width: float, size: float) -> list[str] | None:
    """`text` in lines no wider than `width`, broken only between words (and between Chinese
    characters); None when one word alone is wider than a line (the caller shrinks the font,
    or at last hyphenates)."""
    lines: list[str] = []
    for piece in _pieces(text):
        if text_width(piece.text, size) > width:
            return None
        joined = _joined(lines[-1], piece) if lines else piece.text
        if lines and text_width(joined, size) <= width:
            lines[-1] = joined
        else:
            lines.append(piece.text)
    return lines or [""]


def wrap_hyphenating(text: str, *, width: float, size: float) -> list[str]:
    """Like wrap_at_spaces, but a word wider than a line is split over several, each piece
    ending in a hyphen (or at a hyphen the word already has)."""
    lines: list[str] = []
    for piece in _pieces(text):
        fits = text_width(piece.text, size) <= width
        parts = [piece.text] if fits else _split_word(piece.text, width, size)
        for index, part in enumerate(parts):
            joined = _joined(lines[-1], _Piece(part, piece.spaced)) if lines else part
            if index == 0 and lines and text_width(joined, size) <= width:
                lines[-1] = joined
            else:
                lines.append(part)
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
    """The title in the biggest size whose lines, broken at spaces, fit `width` x `height`;
    a Chinese subtitle (after "：") starts its own line where that fits the same size.

    Only when no size fits without breaking a word is a word hyphenated (in the smallest size);
    a title too long even for that ends in an ellipsis on the last line that fits.
    """
    for size in SIZES:
        for lines in (
            _wrap_subtitle_apart(title, width=width, size=size),
            wrap_at_spaces(title, width=width, size=size),
        ):
            if lines is not None and len(lines) * size * LINE_HEIGHT <= height:
                return TitleLayout(tuple(lines), size)
    size = SIZES[-1]
    lines = wrap_hyphenating(title, width=width, size=size)
    most = max(1, int(height // (size * LINE_HEIGHT)))
    if len(lines) > most:
        lines = [*lines[: most - 1], _shorten_to_fit(lines[most - 1], width, size)]
    return TitleLayout(tuple(lines), size)


def _wrap_subtitle_apart(title: str, *, width: float, size: float) -> list[str] | None:
    """Lay "星球大战：" over "帝国反击战", not "星球大战：帝" over "国反击战"; None when the
    title has no Chinese subtitle, or what comes before a "：" does not fit on one line."""
    parts = [part.strip() for part in title.split(_SUBTITLE_MARK)]
    if len(parts) < 2 or not all(parts):
        return None
    heads = [f"{part}{_SUBTITLE_MARK}" for part in parts[:-1]]
    if any(text_width(head, size) > width for head in heads):
        return None
    rest = wrap_at_spaces(parts[-1], width=width, size=size)
    return None if rest is None else [*heads, *rest]


def _shorten_to_fit(line: str, width: float, size: float) -> str:
    """The line cut so that it and an ellipsis fit: the title goes on past it."""
    kept = line
    while kept and text_width(kept + ELLIPSIS, size) > width:
        kept = kept[:-1]
    return kept.rstrip(" -,.:;，。、：；") + ELLIPSIS
