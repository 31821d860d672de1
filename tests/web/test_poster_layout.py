"""The generated poster's title: broken between words, shrunk before any word is split, and kept
inside the poster however long it is."""

import re

import pytest

from movierec_site.posters.drawing import HEIGHT, MARGIN, TITLE_HEIGHT, WIDTH, poster_svg
from movierec_site.posters.title_layout import (
    LINE_HEIGHT,
    SIZES,
    fit_title,
    text_width,
    wrap_at_spaces,
    wrap_hyphenating,
)

LINE = WIDTH - 2 * MARGIN
TITLES = [
    "Toy Story",
    "Schindler's List",
    "Independence Day",
    "Shawshank Redemption, The",
    "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
    "Borat: Cultural Learnings of America for Make Benefit Glorious Nation of Kazakhstan",
    "Léon: The Professional",
    "Être et avoir",
    "WWWWW MMMMM WWWWW MMMMM",
]


def layout(title: str):
    return fit_title(title, width=LINE, height=TITLE_HEIGHT)


@pytest.mark.parametrize("title", TITLES)
def test_a_title_is_broken_only_between_words_and_fits_the_poster(title):
    result = layout(title)
    assert " ".join(result.lines) == " ".join(title.split()), "every word whole, in order"
    assert all(text_width(line, result.size) <= LINE for line in result.lines)
    assert len(result.lines) * result.size * LINE_HEIGHT <= TITLE_HEIGHT


def test_the_words_once_cut_in_the_middle_stay_whole():
    assert layout("Schindler's List").lines == ("Schindler's", "List")
    assert "Independence" in layout("Independence Day").lines


def test_a_short_title_is_big_and_a_long_one_smaller():
    assert layout("Heat").size == SIZES[0]
    assert layout(TITLES[4]).size < SIZES[0]


def test_wrapping_at_spaces_refuses_a_word_wider_than_the_line():
    assert wrap_at_spaces("a Supercalifragilistic b", width=100, size=20) is None
    assert wrap_at_spaces("one two three", width=1000, size=20) == ["one two three"]
    assert wrap_at_spaces("   ", width=100, size=20) == [""]


def test_a_long_word_shrinks_the_font_before_it_is_split():
    # Too wide for a line at the biggest size, not at a smaller one: whole, smaller.
    word = "Antidisestablishment"
    assert text_width(word, SIZES[0]) > LINE
    result = layout(word)
    assert result.lines == (word,) and result.size < SIZES[0]


def test_a_word_too_long_for_any_size_is_hyphenated_as_the_last_resort():
    word = "Supercalifragilisticexpialidocious" * 2
    result = layout(f"The {word} Show")
    assert result.size == SIZES[-1]
    assert all(text_width(line, result.size) <= LINE for line in result.lines)
    hyphenated = [line for line in result.lines if line.endswith("-")]
    assert hyphenated, "the word is split with a hyphen"
    joined = "".join(
        line.removesuffix("-") if line in hyphenated else f"{line} " for line in result.lines
    )
    assert joined.split() == ["The", word, "Show"]


def test_a_word_with_its_own_hyphen_breaks_there():
    lines = wrap_hyphenating("Jean-Claude-Extraordinaire", width=200, size=20)
    assert lines[0].endswith("-") and lines[0].removesuffix("-") in ("Jean", "Jean-Claude")
    assert "".join(lines) == "Jean-Claude-Extraordinaire"


def test_a_title_too_long_for_the_poster_ends_in_an_ellipsis_inside_it():
    result = layout("word " * 200)
    assert result.lines[-1].endswith("…")
    assert len(result.lines) * result.size * LINE_HEIGHT <= TITLE_HEIGHT
    assert all(text_width(line, result.size) <= LINE for line in result.lines)


def test_the_svg_holds_the_lines_whole_inside_the_poster():
    svg = poster_svg(movie_id=7, title="Schindler's List", year=1993, genres=("Drama", "War"))
    lines = re.findall(r'<tspan x="(\d+)" y="([\d.]+)">([^<]*)</tspan>', svg)
    assert [text for _, _, text in lines] == ["Schindler's", "List"]
    size = int(re.search(r'font-size="(\d+)" font-weight="750"', svg).group(1))
    for x, y, text in lines:
        assert int(x) + text_width(text.replace("&amp;", "&"), size) <= WIDTH - MARGIN
        assert size < float(y) < HEIGHT - 66, "below the genres, above the year's rule"


def test_the_svg_of_a_very_long_title_stays_above_the_year():
    svg = poster_svg(movie_id=8, title="word " * 200, year=2001, genres=())
    baselines = [float(y) for y in re.findall(r'<tspan x="\d+" y="([\d.]+)">', svg)]
    assert len(baselines) > 5 and baselines[-1] < HEIGHT - 66
    assert baselines[0] > 40, "below the genre line at the top"
