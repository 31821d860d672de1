"""Batch top-n: the same lists as for_user, every user, never a rated movie, as CSV."""

import csv
from pathlib import Path

import pytest

from movierec.engine import Filters, Recommender, write_top_n_csv

from .conftest import Planted


def test_batch_matches_for_user(engine: Recommender, planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    rows = write_top_n_csv(engine, out, n=5)
    with out.open() as stream:
        table = list(csv.DictReader(stream))
    assert rows == len(table) == 5 * len(planted.user_ids)
    assert list(table[0]) == ["user", "rank", "movie", "score"]
    for user in planted.user_ids.tolist():
        mine = [row for row in table if int(row["user"]) == user]
        expected = engine.for_user(user, n=5)
        assert [int(row["movie"]) for row in mine] == [r.movie_id for r in expected]
        assert [int(row["rank"]) for row in mine] == [1, 2, 3, 4, 5]
        for row, result in zip(mine, expected, strict=True):
            assert float(row["score"]) == pytest.approx(result.score, abs=1e-3)
        assert not {int(row["movie"]) for row in mine} & set(planted.seen[user])


def test_batch_with_few_movies_left(engine: Recommender, planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "drama.csv"
    write_top_n_csv(engine, out, n=5, filters=Filters(genres=("Drama",)))
    with out.open() as stream:
        table = list(csv.DictReader(stream))
    first = int(planted.user_ids[0])  # rated the one hit wonder: only the obscure film is left
    assert [row["movie"] for row in table if int(row["user"]) == first] == ["487"]
    assert len(table) == 2 * len(planted.user_ids) - 1


def test_batch_leaves_no_file_on_error(engine: Recommender, tmp_path: Path) -> None:
    from movierec.engine import InvalidRequest

    with pytest.raises(InvalidRequest):
        write_top_n_csv(engine, tmp_path / "top.csv", n=0)
    assert list(tmp_path.iterdir()) == []
