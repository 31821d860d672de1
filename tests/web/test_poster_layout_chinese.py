"""Chinese titles on generated posters: broken between any two Chinese characters (Chinese has no
spaces), never before closing or after opening punctuation, Latin words kept whole, a subtitle on
its own line, and everything inside the poster."""

import re

import pytest

from movierec_site.posters.drawing import HEIGHT, MARGIN, TITLE_HEIGHT, WIDTH, poster_svg
from movierec_site.posters.title_layout import LINE_HEIGHT, SIZES, text_width

from .test_poster_layout import LINE, layout

CHINESE_TITLES = [
    "玩具总动员2：玩转极限",
    "星球大战：帝国反击战",
    "黑客帝国",
    "《星球大战》（特别版）",
    "指环王：护戒使者：加长版",
    "奇爱博士，或我如何学会停止担忧并爱上炸弹",
    "盗火线" * 6,
]
MIXED_TITLES = [
    "X战警：逆转未来 Days of Future Past",
    "E.T. 外星人",
    "终结者2：审判日",
    "2001太空漫游 A Space Odyssey",
]


def assert_inside_the_poster(result) -> None:
    assert all(text_width(line, result.size) <= LINE for line in result.lines)
    assert len(result.lines) * result.size * LINE_HEIGHT <= TITLE_HEIGHT


@pytest.mark.parametrize("title", CHINESE_TITLES)
def test_a_chinese_title_breaks_between_characters_and_fits(title):
    result = layout(title)
    assert "".join(result.lines) == title, "every character, in order, no space or hyphen added"
    assert_inside_the_poster(result)
    assert not any(line[0] in "：，）》" for line in result.lines[1:]), "no closing mark first"
    assert not any(line[-1] in "（《" for line in result.lines), "no opening mark last"


def test_chinese_needs_no_space_to_break_so_the_font_stays_big():
    result = layout("盗火线" * 3)
    assert result.size == SIZES[0] and len(result.lines) == 2


def test_a_chinese_subtitle_starts_its_own_line():
    assert layout("星球大战：帝国反击战").lines == ("星球大战：", "帝国反击战")
    assert layout("终结者2：审判日").lines == ("终结者2：", "审判日")


@pytest.mark.parametrize("title", MIXED_TITLES)
def test_a_mixed_title_keeps_its_latin_words_whole(title):
    result = layout(title)
    assert_inside_the_poster(result)
    words = re.findall(r"[A-Za-z0-9.]+", title)
    assert re.findall(r"[A-Za-z0-9.]+", "\n".join(result.lines)) == words
    assert "".join(result.lines).replace(" ", "") == title.replace(" ", "")


def test_full_width_characters_are_a_whole_em():
    assert text_width("玩具总动员", 20) == 100
    assert text_width("：", 20) == 20, "not the narrow ASCII colon it decomposes to"
    assert text_width("（）", 10) == 20


def test_a_chinese_title_too_long_for_the_poster_ends_in_an_ellipsis():
    result = layout("星球大战" * 60)
    assert result.lines[-1].endswith("…") and result.size == SIZES[-1]
    assert_inside_the_poster(result)


def test_the_svg_draws_the_chinese_title_inside_the_poster():
    svg = poster_svg(
        movie_id=1,
        title="Toy Story 2",
        year=1999,
        genres=("Animation",),
        chinese_title="玩具总动员2：玩转极限",
    )
    assert 'aria-label="玩具总动员2：玩转极限 (1999)"' in svg and 'lang="zh-Hans"' in svg
    assert "Toy Story" not in svg and "Noto Sans CJK SC" in svg
    lines = re.findall(r'<tspan x="(\d+)" y="([\d.]+)">([^<]*)</tspan>', svg)
    assert "".join(text for _, _, text in lines) == "玩具总动员2：玩转极限"
    size = int(re.search(r'font-size="(\d+)" font-weight="750"', svg).group(1))
    for x, y, text in lines:
        assert int(x) + text_width(text, size) <= WIDTH - MARGIN
        assert size < float(y) < HEIGHT - 66


def test_without_a_chinese_title_the_svg_is_as_before():
    svg = poster_svg(movie_id=1, title="Toy Story", year=1995, genres=("Animation",))
    assert "lang=" not in svg and ">Toy Story</tspan>" in svg
