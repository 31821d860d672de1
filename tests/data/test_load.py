"""Loading every layout into the canonical form, from synthetic files in each layout."""

from pathlib import Path

import pandas as pd
import pytest

from movierec.data import codes
from movierec.data.dataset import MOVIE_DTYPES, RATING_DTYPES, USER_DTYPES
from movierec.data.load import detect_layout, load_folder
from movierec.data.releases import RELEASES, Layout
from movierec.errors import DataError


@pytest.mark.parametrize("name", ["ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-32m",
                                  "ml-latest-small"])
def test_every_layout_loads_into_the_canonical_form(synthetic_release, name):
    folder = synthetic_release(name, users=50, movies=60, ratings=1500)
    release = RELEASES[name]

    dataset = load_folder(folder, release)

    assert dataset.summary()["ratings"] == 1500
    assert len(dataset.users) == 50
    assert len(dataset.movies) == 60
    assert {c: str(t) for c, t in dataset.ratings.dtypes.items()} == RATING_DTYPES
    assert {c: str(t) for c, t in dataset.users.dtypes.items()} == USER_DTYPES
    assert {c: str(t) for c, t in dataset.movies.dtypes.items()} == MOVIE_DTYPES
    assert dataset.has_demographics == release.has_demographics
    low, high, step = release.rating_scale
    assert dataset.ratings["rating"].between(low, high).all()
    assert ((dataset.ratings["rating"] / step) % 1 == 0).all()
    assert dataset.movies["year"].notna().all()
    assert set(dataset.genres) <= set(codes.ML1M_GENRES) | {"IMAX"}


def test_demographics_use_ml1m_codes(synthetic_release):
    for name in ("ml-100k", "ml-1m"):
        users = load_folder(synthetic_release(name), RELEASES[name]).users
        assert set(users["gender"]) <= {"F", "M"}
        assert set(users["age"]) <= set(codes.AGE_BUCKETS)
        assert set(users["occupation"]) <= set(codes.OCCUPATIONS)


def test_releases_without_demographics_leave_them_missing(synthetic_release):
    users = load_folder(synthetic_release("ml-25m"), RELEASES["ml-25m"]).users
    assert users[["gender", "age", "occupation", "zip"]].isna().all().all()


def test_csv_layout_reads_links_and_quoted_titles(synthetic_release):
    folder = synthetic_release("ml-20m", users=40, movies=200, ratings=1200)
    movies = load_folder(folder, RELEASES["ml-20m"]).movies
    assert movies["title"].str.contains(",").any(), "a quoted title with a comma"
    assert movies["imdb_id"].notna().all()
    assert movies["tmdb_id"].isna().sum() >= 1, "blank tmdbIds stay missing"
    assert not movies["genres"].str.contains("Children\\b(?!')", regex=True).any()


def test_year_comes_from_the_title(tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "movies.dat").write_text(
        "1::Toy Story (1995)::Animation|Children's|Comedy\n"
        "2::City of Lost Children, The (Cité des enfants perdus, La) (1995)::Sci-Fi\n"
        "3::No Year Here::(no genres listed)\n", encoding="latin-1")
    (folder / "ratings.dat").write_text("1::1::5::978300760\n1::3::3::978300761\n")
    dataset = load_folder(folder, RELEASES["ml-10m"])
    assert dataset.movies["year"].tolist()[:2] == [1995, 1995]
    assert pd.isna(dataset.movies["year"].iloc[2])
    assert dataset.movies["genres"].iloc[2] == ""


def test_ml100k_ages_and_occupations_are_mapped(tmp_path):
    folder = tmp_path / "ml-100k"
    folder.mkdir()
    (folder / "u.data").write_text("1\t1\t5\t881250949\n2\t1\t3\t881250950\n")
    flags = "|".join(["0"] * 19)
    (folder / "u.item").write_text(f"1|Toy Story (1995)|01-Jan-1995||http://x|{flags}\n")
    (folder / "u.user").write_text("1|17|M|student|85711\n2|53|F|librarian|94043\n")
    users = load_folder(folder, RELEASES["ml-100k"]).users
    assert users["age"].tolist() == [1, 50]
    assert users["occupation"].tolist() == [4, 1]


def test_layout_is_detected_from_the_files(synthetic_release, tmp_path):
    assert detect_layout(synthetic_release("ml-100k")) is Layout.ML100K
    assert detect_layout(synthetic_release("ml-1m")) is Layout.DAT
    assert detect_layout(synthetic_release("ml-25m")) is Layout.CSV
    with pytest.raises(DataError, match="no MovieLens ratings file"):
        detect_layout(tmp_path)


@pytest.mark.realdata
def test_real_ml100k_counts(real_ml100k, tmp_path):
    import zipfile

    with zipfile.ZipFile(real_ml100k) as archive:
        archive.extractall(tmp_path)
    dataset = load_folder(tmp_path / "ml-100k", RELEASES["ml-100k"])
    assert dataset.summary() == {"ratings": 100_000, "users": 943, "movies": 1_682,
                                 "rated_movies": 1_682}
    assert dataset.movies.loc[dataset.movies["movie_id"] == 1, "title"].item() == "Toy Story (1995)"
    assert Path(tmp_path / "ml-100k" / "u.data").is_file()
