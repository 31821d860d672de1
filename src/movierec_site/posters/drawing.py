"""A generated poster: title, year and genres on a colour of the movie's first genre, as SVG.

Drawn from the catalogue alone, so it costs no network and every movie has one; in Chinese, with
the movie's Chinese title where TMDB gave one.
"""

import hashlib
from xml.sax.saxutils import escape

from movierec_site.posters.title_layout import LINE_HEIGHT, fit_title

WIDTH, HEIGHT = 300, 450
MARGIN = 24
TITLE_HEIGHT = 230
"""The band the title may fill, between the genres at the top and the year at the bottom."""
FONT = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
)
"""Latin fonts first; the CJK ones draw the Chinese characters those lack."""

GENRE_COLOURS: dict[str, str] = {
    "Action": "#b3261e",
    "Adventure": "#c05a12",
    "Animation": "#c2850a",
    "Children": "#4f8a1d",
    "Children's": "#4f8a1d",
    "Comedy": "#b07d00",
    "Crime": "#3d4270",
    "Documentary": "#2c6e68",
    "Drama": "#5b3a8c",
    "Fantasy": "#7c3aa8",
    "Film-Noir": "#2e2e33",
    "Horror": "#641220",
    "IMAX": "#1f5f8b",
    "Musical": "#b03a78",
    "Mystery": "#363d91",
    "Romance": "#b3395b",
    "Sci-Fi": "#0e6b8f",
    "Thriller": "#424a55",
    "War": "#5f5a2d",
    "Western": "#8a5a2b",
}
FALLBACK_COLOURS = ("#3c4a5c", "#4a3c5c", "#3c5c4f", "#5c4a3c")


def genre_colour(genres: tuple[str, ...] | list[str], seed: int) -> str:
    for genre in genres:
        if genre in GENRE_COLOURS:
            return GENRE_COLOURS[genre]
    return FALLBACK_COLOURS[seed % len(FALLBACK_COLOURS)]


def poster_svg(
    *,
    movie_id: int,
    title: str,
    year: int | None,
    genres: tuple[str, ...],
    chinese_title: str | None = None,
    genre_labels: tuple[str, ...] | None = None,
) -> str:
    """The SVG document of a movie's generated poster; with `chinese_title`, that title is the
    one drawn (marked as Simplified Chinese, so the browser picks Chinese glyphs). `genre_labels`
    are the genres as the reader reads them (the colours go by the release's names)."""
    shown = chinese_title or title
    language = ' lang="zh-Hans"' if chinese_title else ""
    seed = int.from_bytes(hashlib.sha256(str(movie_id).encode()).digest()[:4], "big")
    colour = genre_colour(genres, seed)
    accent = genre_colour(genres[1:], seed + 1) if len(genres) > 1 else "#ffffff"
    circle_x, circle_y = 60 + seed % 200, 70 + (seed >> 8) % 120
    layout = fit_title(shown, width=WIDTH - 2 * MARGIN, height=TITLE_HEIGHT)
    lines, size = layout.lines, layout.size
    step = size * LINE_HEIGHT
    spread = (len(lines) - 1) * step
    # Centred a little below the middle, but never down into the year at the bottom.
    first_line_y = min(300 - spread / 2, HEIGHT - 96 - spread)
    title_text = "".join(
        f'<tspan x="{MARGIN}" y="{first_line_y + index * step:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    genre_text = escape(" · ".join((genre_labels or genres)[:2]).upper())
    year_text = escape(str(year)) if year else ""
    label = escape(f"{shown} ({year})" if year else shown, {'"': "&quot;"})
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" \
width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{label}">
<defs><linearGradient id="g{movie_id}" x1="0" y1="0" x2="0.6" y2="1">
<stop offset="0" stop-color="{colour}"/><stop offset="1" stop-color="#111318"/></linearGradient>
</defs>
<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#g{movie_id})"/>
<circle cx="{circle_x}" cy="{circle_y}" r="{110 + seed % 60}" fill="#fff" fill-opacity="0.07"/>
<circle cx="{WIDTH - circle_x // 2}" cy="{circle_y + 60}" r="46" fill="{accent}" \
fill-opacity="0.16"/>
<text x="{MARGIN}" y="{MARGIN + 14}" fill="#fff" fill-opacity="0.78" font-family="{FONT}" \
font-size="12" font-weight="600" letter-spacing="1.6">{genre_text}</text>
<text fill="#fff" font-family="{FONT}" font-size="{size}" font-weight="750" \
letter-spacing="-0.5"{language}>{title_text}</text>
<rect x="{MARGIN}" y="{HEIGHT - 66}" width="36" height="3" rx="1.5" fill="{accent}" \
fill-opacity="0.9"/>
<text x="{MARGIN}" y="{HEIGHT - MARGIN - 4}" fill="#fff" fill-opacity="0.85" \
font-family="{FONT}" font-size="22" font-weight="300" letter-spacing="2">{year_text}</text>
</svg>
"""
