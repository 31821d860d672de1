"""Each kind of bad input gets an error naming the file, the line and the fault."""

import shutil

import pytest

from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.errors import DataError


def _replace_line(path, number, text, encoding="latin-1"):
    lines = path.read_bytes().decode(encoding).splitlines()
    lines[number - 1] = text
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


@pytest.fixture
def ml1m(synthetic_release):
    return synthetic_release("ml-1m")


def _error(folder, name="ml-1m"):
    with pytest.raises(DataError) as caught:
        load_folder(folder, RELEASES[name])
    return str(caught.value)


def test_wrong_separator(ml1m):
    _replace_line(ml1m / "ratings.dat", 7, "1,2,3,978300760")
    message = _error(ml1m)
    assert "ratings.dat, line 7" in message
    assert "separated by '::'" in message


def test_non_numeric_id(ml1m):
    _replace_line(ml1m / "ratings.dat", 3, "abc::1::4::978300760")
    message = _error(ml1m)
    assert "ratings.dat, line 3" in message
    assert "user id must be a whole number, found 'abc'" in message


def test_rating_outside_the_scale(ml1m):
    _replace_line(ml1m / "ratings.dat", 5, "1::2::7::978300760")
    message = _error(ml1m)
    assert "ratings.dat, line 5" in message
    assert "outside this release's scale 1-5" in message


def test_half_star_in_a_whole_star_release(ml1m):
    _replace_line(ml1m / "ratings.dat", 2, "1::2::3.5::978300760")
    assert "ratings.dat, line 2: rating 3.5 is outside" in _error(ml1m)



@pytest.mark.parametrize("rating", ["nan", "inf", "-inf", ""])
def test_a_rating_that_is_not_a_finite_number_is_named(ml1m, rating):
    _replace_line(ml1m / "ratings.dat", 6, f"1::2::{rating}::978300760")
    message = _error(ml1m)
    assert "ratings.dat, line 6: rating must be a finite number" in message
    assert repr(rating) in message


@pytest.mark.parametrize(("name", "data", "line", "text"), [
    ("ml-100k", "u.data", 4, "1\t2\tnan\t881250949"),
    ("ml-25m", "ratings.csv", 5, "1,2,,1147880044"),
])
def test_every_layout_names_a_non_finite_rating(synthetic_release, name, data, line, text):
    folder = synthetic_release(name)
    _replace_line(folder / data, line, text, encoding="utf-8")
    assert f"{data}, line {line}: rating must be a finite number" in _error(folder, name)

def test_rating_for_an_unknown_movie(ml1m):
    _replace_line(ml1m / "ratings.dat", 9, "1::999999::4::978300760")
    message = _error(ml1m)
    assert "ratings.dat, line 9: rating for movie 999999" in message
    assert "movies file does not list" in message


def test_rating_by_an_unknown_user(ml1m):
    _replace_line(ml1m / "ratings.dat", 4, "888888::2::4::978300760")
    assert "ratings.dat, line 4: rating by user 888888" in _error(ml1m)


def test_missing_column_in_a_csv_header(synthetic_release):
    folder = synthetic_release("ml-25m")
    _replace_line(folder / "ratings.csv", 1, "userId,movieId,timestamp", encoding="utf-8")
    message = _error(folder, "ml-25m")
    assert "ratings.csv, line 1" in message
    assert "lacks column(s) rating" in message


def test_too_few_fields(ml1m):
    _replace_line(ml1m / "movies.dat", 2, "2::Only A Title")
    message = _error(ml1m)
    assert "movies.dat, line 2" in message
    assert "expected 3 fields" in message


def test_bad_encoding_in_a_utf8_release(synthetic_release):
    folder = synthetic_release("ml-25m")
    path = folder / "movies.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = b'9999,"Caf\xe9 Latin-1 (1999)",Drama'
    path.write_bytes(b"\n".join(lines))
    message = _error(folder, "ml-25m")
    assert "movies.csv, line 4: not valid utf-8 text" in message


def test_missing_file(ml1m):
    (ml1m / "movies.dat").unlink()
    assert "movies.dat: missing" in _error(ml1m)


def test_unknown_gender_and_age_code(ml1m):
    users = ml1m / "users.dat"
    original = users.read_bytes()
    _replace_line(users, 2, "2::X::25::7::10002")
    assert "users.dat, line 2: gender must be F or M" in _error(ml1m)
    users.write_bytes(original)
    _replace_line(users, 3, "3::M::33::7::10003")
    assert "users.dat, line 3: unknown age code 33" in _error(ml1m)


def test_a_failed_load_leaves_the_files_untouched(ml1m, tmp_path):
    _replace_line(ml1m / "ratings.dat", 7, "1,2,3,978300760")
    before = {p.name: p.read_bytes() for p in ml1m.iterdir()}
    copy = shutil.copytree(ml1m, tmp_path / "copy")
    _error(copy)
    assert {p.name: p.read_bytes() for p in ml1m.iterdir()} == before


def test_an_empty_movies_file_is_named(synthetic_release):
    folder = synthetic_release("ml-100k")
    (folder / "u.item").write_bytes(b"")
    assert "u.item: holds no records" in _error(folder, "ml-100k")


def test_an_unbalanced_quote_in_movies_csv_names_the_line(synthetic_release):
    folder = synthetic_release("ml-25m")
    _replace_line(folder / "movies.csv", 4, '9999,"Unclosed (1999),Drama', encoding="utf-8")
    assert "movies.csv, line 4: expected 3 fields" in _error(folder, "ml-25m")


def test_titles_split_on_newlines_only(synthetic_release):
    folder = synthetic_release("ml-10m")
    title = "Odd\x85Title\u2028Two\x0cThree (1999)"
    _replace_line(folder / "movies.dat", 2, f"2::{title}::Drama", encoding="utf-8")
    movies = load_folder(folder, RELEASES["ml-10m"]).movies
    assert title in set(movies["title"])
