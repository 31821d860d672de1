"""`movierec recommend ...` through click's CliRunner, on the planted model."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from movierec.cli.publish import publish
from movierec.cli.recommend import recommend
from movierec.engine import Reason, display_title
from movierec.wording import reason_text

from .conftest import Planted


def run(*args: str) -> Result:
    return CliRunner().invoke(recommend, list(args))


def test_user_table(planted: Planted) -> None:
    result = run("user", str(planted.user_in(0)), "--model", str(planted.path), "--n", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"For user {planted.user_in(0)}:"
    assert lines[1].split() == ["#", "title", "year", "genres", "score", "rating", "reason"]
    assert len(lines) == 3 + 3
    assert "because they rated" in lines[3]
    assert "you" not in result.output


def test_user_json(planted: Planted) -> None:
    user = planted.user_in(3)
    result = run("user", str(user), "--model", str(planted.path), "--json", "--genre", "horror")
    document = json.loads(result.output)
    assert document["user"] == user
    assert len(document["results"]) == 8  # 12 Horror movies, 4 of them rated
    first = document["results"][0]
    assert set(first) == {
        "movie_id",
        "title",
        "year",
        "genres",
        "score",
        "predicted_rating",
        "reason",
        "reason_detail",
    }
    assert first["reason"] == reason_text(Reason(**first["reason_detail"]), who="they")
    assert first["reason"].startswith(("because they rated", "they rated it"))
    assert all("Horror" in r["genres"] for r in document["results"])


def test_similar_by_title_and_by_id(planted: Planted) -> None:
    by_title = run("similar", "toy", "stroy", "--model", str(planted.path), "--json")
    by_id = run(
        "similar", str(planted.movie_id("Toy Story (")), "--model", str(planted.path), "--json"
    )
    assert json.loads(by_title.output) == json.loads(by_id.output)
    assert json.loads(by_title.output)["movie"]["title"] == "Toy Story"
    table = run("similar", "toy story", "--model", str(planted.path), "--n", "2")
    assert table.output.startswith("Similar to Toy Story (1995):")


def test_also_liked_audiences(planted: Planted) -> None:
    for audience in ("model", "raters"):
        result = run("also-liked", "1", "--model", str(planted.path), "--audience", audience)
        assert result.exit_code == 1  # movie id 1 does not exist, and no title matches "1"
        assert "no movie id or title matches '1'" in result.output
        result = run("also-liked", "7", "--model", str(planted.path), "--audience", audience)
        assert result.exit_code == 0 and "Viewers of Heat (1995) also liked:" in result.output


def test_new_user(planted: Planted) -> None:
    result = run(
        "new",
        "--rate",
        "7=5",
        "--rate",
        "speed=4",
        "--age",
        "25",
        "--gender",
        "F",
        "--occupation",
        "12",
        "--model",
        str(planted.path),
        "--json",
        "--n",
        "4",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["ratings"] == {"7": 5.0, str(planted.movie_id("Speed")): 4.0}
    assert {r["movie_id"] for r in document["results"]}.isdisjoint({7, planted.movie_id("Speed")})


@pytest.mark.parametrize(
    ("age", "occupation"),
    [("25", "12"), ("25-34", "programmer"), ("25-34", "Programmer"), ("25 34", "PROGRAMMER")],
)
def test_new_user_demographics_in_codes_or_words(
    planted: Planted, age: str, occupation: str
) -> None:
    result = run("new", "--age", age, "--occupation", occupation, "--gender", "M",
                 "--model", str(planted.path), "--json", "--n", "3")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert (document["age"], document["occupation"]) == (25, 12)


@pytest.mark.parametrize(
    ("option", "given", "code"),
    [("--age", "under 18", 1), ("--age", "Under-18", 1), ("--age", "56+", 56),
     ("--occupation", "educator", 1), ("--occupation", "academic/educator", 1),
     ("--occupation", "health care", 6), ("--occupation", "student", 4),
     ("--occupation", "0", 0), ("--occupation", "K-12 student", 10)],
)
def test_each_spelling_names_its_code(
    planted: Planted, option: str, given: str, code: int
) -> None:
    result = run("new", option, given, "--model", str(planted.path), "--json", "--n", "1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[option.removeprefix("--")] == code


@pytest.mark.parametrize(
    ("option", "given", "listed"),
    [("--age", "30", "1 (Under 18), 18 (18-24), 25 (25-34)"),
     ("--age", "ancient", "56 (56+)"),
     ("--occupation", "pilot", "0 (other), 1 (academic/educator)"),
     ("--occupation", "21", "12 (programmer)")],
)
def test_unknown_demographic_words_list_the_accepted_ones(
    planted: Planted, option: str, given: str, listed: str
) -> None:
    result = run("new", option, given, "--model", str(planted.path))
    assert result.exit_code == 2
    assert f"unknown {option.removeprefix('--')} {given!r}; give a code or its words: " in (
        result.stderr
    )
    assert listed in result.stderr
    assert "Traceback" not in result.output


def test_new_user_with_nothing_and_with_seeded_variety(planted: Planted) -> None:
    args = ["new", "--model", str(planted.path), "--json", "--n", "3"]
    assert "highly rated" in json.loads(run(*args).output)["results"][0]["reason"]
    seeded = [*args, "--sample-from", "20", "--seed", "3"]
    assert run(*seeded).output == run(*seeded).output


def test_search(planted: Planted) -> None:
    result = run("search", "the", "matrix", "--model", str(planted.path))
    assert result.exit_code == 0
    assert result.output.splitlines()[2].split()[:3] == ["27", "The", "Matrix"]


@pytest.mark.parametrize("as_json", [[], ["--json"]])
def test_search_without_a_match_fails(planted: Planted, as_json: list[str]) -> None:
    result = run("search", "qqqq", "--model", str(planted.path), *as_json)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no title matches 'qqqq'; try fewer words or part of a word\n"
    )
    if as_json:
        assert json.loads(result.stdout) == {"query": "qqqq", "results": []}
    else:
        assert result.stdout == ""


def test_a_search_that_only_finds_spellings_alike_says_so_and_fails(planted: Planted) -> None:
    result = run("search", "groundhogday", "--model", str(planted.path))
    assert result.exit_code == 1
    assert "Groundhog Day" in result.stdout and "did you mean?" in result.stdout
    assert result.stderr == ("error: no title matches 'groundhogday'; the titles above are "
                             "spelled alike\n")


def test_batch(planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    result = run("batch", "--model", str(planted.path), "--n", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote 80 rows for 40 users to {out}")
    assert out.read_text().splitlines()[0] == "user,rank,movie,score"


def test_batch_with_titles(planted: Planted, tmp_path: Path) -> None:
    plain, titled = tmp_path / "plain.csv", tmp_path / "titled.csv"
    for out, extra in ((plain, []), (titled, ["--titles"])):
        result = run("batch", "--model", str(planted.path), "--n", "40", "--out", str(out), *extra)
        assert result.exit_code == 0, result.output
    with plain.open() as stream:
        rows = list(csv.DictReader(stream))
    with titled.open() as stream:
        titled_rows = list(csv.DictReader(stream))
    assert list(titled_rows[0]) == ["user", "rank", "movie", "score", "title"]
    assert [{k: row[k] for k in rows[0]} for row in titled_rows] == rows
    titles = {record["movie_id"]: display_title(record["title"])
              for record in planted.documents["movies"]}
    assert all(row["title"] == titles[int(row["movie"])] for row in titled_rows)
    shown = {row["title"] for row in titled_rows}
    assert {"The Matrix", "Amélie (Fabuleux destin d'Amélie Poulain, Le)"} <= shown


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["user", "1"], 1, "error: no user with id 1 in this model"),
        (["user", "100", "--n", "0"], 2, "error: n must be 1 or more"),
        (["user", "100", "--genre", "Westerns"], 2, "error: unknown genre 'Westerns'"),
        (["new", "--age", "26"], 2, "Invalid value for '--age': unknown age '26'"),
        (["new", "--rate", "7=9"], 2, "error: the rating of movie 7 must be 1 to 5 stars"),
        (
            ["new", "--rate", "7=4.5"],
            2,
            "error: the rating of movie 7 must be 1 to 5 stars in steps of 1, not 4.5\n",
        ),
        (["new", "--rate", "7"], 2, "'7' is not MOVIE=STARS"),
        (["new", "--rate", "7=five"], 2, "'five' is not a number of stars"),
        (["similar", "zzzz"], 1, "error: no movie id or title matches 'zzzz'"),
    ],
)
def test_user_errors(planted: Planted, args: list[str], code: int, message: str) -> None:
    result = run(*args, "--model", str(planted.path))
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_no_published_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOVIEREC_HOME", str(tmp_path))
    result = run("user", "100")
    assert result.exit_code == 1
    assert "no published model: train one with `movierec train` or pass --model DIR" in (
        result.output
    )


def test_the_published_model_is_the_default(
    planted: Planted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOVIEREC_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "current").symlink_to(planted.path)
    result = run("search", "heat")
    assert result.exit_code == 0 and "Heat" in result.output


def test_recommend_serves_what_publish_published_at_movierec_model(
    planted: Planted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The site and `publish` honour $MOVIEREC_MODEL; `recommend` without --model must read the
    # same link, not $MOVIEREC_HOME/models/current.
    monkeypatch.setenv("MOVIEREC_HOME", str(tmp_path / "home"))
    link = tmp_path / "elsewhere" / "current"
    monkeypatch.setenv("MOVIEREC_MODEL", str(link))
    published = CliRunner().invoke(publish, [str(planted.path)])
    assert published.exit_code == 0, published.output
    assert link.is_symlink() and not (tmp_path / "home" / "models" / "current").exists()
    result = run("search", "heat")
    assert result.exit_code == 0 and "Heat" in result.output, result.output


