"""The seed's features: encodings, deterministic vocabularies, byte-identical output."""

import numpy as np
import pandas as pd
import pytest

from movierec.data.features import load_features, prepare, resolve_prepared, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.tokens import normalised_words, seed_words, strip_year
from movierec.errors import DataError


@pytest.fixture
def ml1m_dataset(synthetic_release):
    return load_folder(synthetic_release("ml-1m"), RELEASES["ml-1m"])


def test_features_follow_the_seed_encoding(ml1m_dataset):
    features = prepare(ml1m_dataset, source_checksum="abc")
    users, movies = ml1m_dataset.users, ml1m_dataset.movies

    assert features.user_ids.tolist() == sorted(users["user_id"])
    assert features.movie_ids.tolist() == sorted(movies["movie_id"])
    assert set(features.user_gender) <= {0, 1}
    assert features.user_age.min() >= 0 and features.user_age.max() <= 6
    assert features.user_occupation.max() <= 20
    assert features.movie_genres.shape == (len(movies), len(features.vocab["genres"]) - 1)
    assert features.movie_title_seed.shape == (len(movies), 15)
    for vocab in features.vocab.values():
        assert vocab[0] == "<PAD>"
        assert vocab[1:] == sorted(vocab[1:])

    first = movies.sort_values("movie_id").iloc[0]
    genre_names = [features.vocab["genres"][g] for g in features.movie_genres[0] if g]
    assert genre_names == first["genres"].split("|")
    words = [features.vocab["title_seed"][w] for w in features.movie_title_seed[0] if w]
    assert words == strip_year(first["title"]).split()


def test_ratings_carry_indices_that_point_back_to_the_ids(ml1m_dataset):
    features = prepare(ml1m_dataset, source_checksum="abc")
    ratings = features.ratings
    assert (features.user_ids[ratings["user_index"]] == ratings["user_id"]).all()
    assert (features.movie_ids[ratings["movie_index"]] == ratings["movie_id"]).all()


def test_same_input_gives_byte_identical_output(ml1m_dataset, tmp_path):
    save_features(prepare(ml1m_dataset, source_checksum="abc"), tmp_path / "a")
    save_features(prepare(ml1m_dataset, source_checksum="abc"), tmp_path / "b")
    files_a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files_a == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_saved_features_load_back_equal(ml1m_dataset, tmp_path):
    saved = save_features(prepare(ml1m_dataset, source_checksum="abc"), tmp_path / "p")
    loaded = load_features(tmp_path / "p")
    assert loaded.manifest == saved.manifest
    assert loaded.manifest["source_sha256"] == "abc"
    assert loaded.manifest["counts"]["ratings"] == len(ml1m_dataset.ratings)
    np.testing.assert_array_equal(loaded.movie_title_words, saved.movie_title_words)
    pd.testing.assert_frame_equal(loaded.ratings, saved.ratings)
    assert loaded.has_demographics and loaded.rating_scale == (1.0, 5.0, 1.0)


def test_no_demographics_release_has_no_user_features(synthetic_release, tmp_path):
    dataset = load_folder(synthetic_release("ml-20m"), RELEASES["ml-20m"])
    save_features(prepare(dataset, source_checksum="x"), tmp_path / "p")
    loaded = load_features(tmp_path / "p")
    assert loaded.user_gender is None and not loaded.has_demographics
    assert loaded.rating_scale == (0.5, 5.0, 0.5)


def test_index_ratings_names_unknown_ids(ml1m_dataset):
    features = prepare(ml1m_dataset, source_checksum="abc")
    frame = pd.DataFrame({"user_id": [1, 99999], "movie_id": [features.movie_ids[0]] * 2})
    with pytest.raises(DataError, match="user id\\(s\\) not in the dataset: 99999"):
        features.index_ratings(frame)


def test_unprepared_name_says_what_to_run():
    with pytest.raises(DataError, match="movierec data prepare ml-1m"):
        resolve_prepared("ml-1m")


@pytest.mark.parametrize(("title", "seed", "normalised"), [
    ("Toy Story (1995)", ["Toy", "Story"], ["toy", "story"]),
    ("Matrix, The (1999)", ["Matrix,", "The"], ["matrix", "the"]),
    ("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
     ["Amélie", "(Fabuleux", "destin", "d'Amélie", "Poulain,", "Le)"],
     ["amelie", "fabuleux", "destin", "d", "amelie", "poulain", "le"]),
    ("No Year", ["No", "Year"], ["no", "year"]),
])
def test_title_tokenisations(title, seed, normalised):
    assert seed_words(title) == seed
    assert normalised_words(title) == normalised
