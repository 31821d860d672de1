"""`movierec recommend ...` through click's CliRunner, on the planted model."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from movierec.cli.publish import publish
from movierec.cli.recommend import recommend
from movierec.engine import Reason
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
    assert "because you rated" in lines[3]


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
    assert first["reason"] == reason_text(Reason(**first["reason_detail"]))
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


def test_new_user_with_nothing_and_with_seeded_variety(planted: Planted) -> None:
    args = ["new", "--model", str(planted.path), "--json", "--n", "3"]
    assert "highly rated" in json.loads(run(*args).output)["results"][0]["reason"]
    seeded = [*args, "--sample-from", "20", "--seed", "3"]
    assert run(*seeded).output == run(*seeded).output


def test_search(planted: Planted) -> None:
    result = run("search", "the", "matrix", "--model", str(planted.path))
    assert result.exit_code == 0
    assert result.output.splitlines()[2].split()[:3] == ["27", "The", "Matrix"]
    assert "no title matches" in run("search", "qqqq", "--model", str(planted.path)).output


def test_batch(planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    result = run("batch", "--model", str(planted.path), "--n", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote 80 rows for 40 users to {out}")
    assert out.read_text().splitlines()[0] == "user,rank,movie,score"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["user", "1"], 1, "error: no user with id 1 in this model"),
        (["user", "100", "--n", "0"], 2, "error: n must be 1 or more"),
        (["user", "100", "--genre", "Westerns"], 2, "error: unknown genre 'Westerns'"),
        (["new", "--age", "26"], 2, "error: age must be an ML-1M age code"),
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


