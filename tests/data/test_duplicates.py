"""Films listed twice merged into one id, and placeholder titles flagged, by `data prepare`."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from movierec.cli.data_prepare import prepare as prepare_command
from movierec.cli.data_synth import synth as synth_command
from movierec.data.dataset import Dataset, canonical_movies, canonical_ratings, canonical_users
from movierec.data.duplicates import find_aliases, merge_duplicates
from movierec.data.features import load_features, prepare, save_features
from movierec.data.fetch import fetch_release
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.data.tokens import is_placeholder_title
from movierec.errors import UsageError

ML100K_DUPLICATES = [
    (268, 246), (303, 297), (348, 329), (500, 304), (670, 573), (680, 266), (865, 305),
    (881, 876), (1003, 878), (1257, 1256), (1606, 309), (1607, 1395), (1617, 1175),
    (1625, 1477), (1650, 1645), (1654, 1234), (1658, 711), (1680, 1429),
]
"""(alias, kept id) of the 18 films ML-100K lists twice, Chasing Amy (268 -> 246) first."""


def _dataset(movies: list[tuple], ratings: list[tuple]) -> Dataset:
    """A release from (id, title, year[, imdb id]) movies and (user, movie, stars, time) ratings."""
    frame = pd.DataFrame([(*movie, None)[:4] for movie in movies],
                         columns=["movie_id", "title", "year", "imdb_id"])
    frame["genres"] = "Drama"
    rated = pd.DataFrame(ratings, columns=["user_id", "movie_id", "rating", "timestamp"])
    users = pd.DataFrame({"user_id": sorted(set(rated["user_id"]))})
    return Dataset("toy", canonical_users(users), canonical_movies(frame),
                   canonical_ratings(rated), False, (1.0, 5.0, 1.0))


def test_same_title_and_year_merge_into_the_smallest_id():
    dataset = _dataset(
        [(1, "Heat (1995)", 1995), (5, "Chasing Amy (1997)", 1997), (9, "Chasing Amy (1997)", 1997),
         (12, " chasing  amy (1997) ", 1997)],
        [(1, 5, 4, 100), (2, 9, 3, 100), (3, 12, 5, 100), (3, 1, 2, 50)],
    )
    merged = merge_duplicates(dataset)
    assert merged.aliases.tolist() == [[9, 5], [12, 5]]
    assert merged.films == 1 and merged.ratings_moved == 2 and merged.double_ratings == 0
    assert merged.dataset.movies["movie_id"].tolist() == [1, 5]
    # Every rating is still there, in file order, now on the kept id.
    assert merged.dataset.ratings[["user_id", "movie_id"]].values.tolist() == [
        [1, 5], [2, 5], [3, 5], [3, 1]]


def test_a_double_rating_keeps_the_later_one_and_on_a_tie_the_larger_id():
    dataset = _dataset(
        [(5, "Ice Storm, The (1997)", 1997), (9, "Ice Storm, The (1997)", 1997),
         (11, "Heat (1995)", 1995)],
        [
            (1, 9, 2, 300), (1, 5, 5, 200),  # later under the alias: 2 stars stays
            (2, 5, 1, 400), (2, 9, 4, 100),  # later under the kept id: 1 star stays
            (3, 5, 3, 500), (3, 9, 5, 500),  # a tie: the larger id (9) wins, 5 stars
            (4, 11, 4, 10),
        ],
    )
    merged = merge_duplicates(dataset)
    ratings = merged.dataset.ratings
    assert merged.ratings_moved == 3 and merged.double_ratings == 3
    assert not ratings.duplicated(["user_id", "movie_id"]).any()
    kept = {user: stars for user, stars in zip(ratings["user_id"], ratings["rating"],
                                               strict=True)}
    assert kept == {1: 2.0, 2: 1.0, 3: 5.0, 4: 4.0}
    assert ratings["timestamp"].tolist() == [300, 400, 500, 10], "file order is kept"


def test_only_exact_duplicates_merge():
    dataset = _dataset(
        [
            (1, "Hamlet (1990)", 1990), (2, "Hamlet (1996)", 1996),  # another year
            (3, "No Year", None), (4, "No Year", None),  # the year cannot be compared
            (5, "Emma (1996)", 1996, 111), (6, "Emma (1996)", 1996, 222),  # two films
            (7, "Crash (1996)", 1996, 333), (8, "Crash (1996)", 1996, 333),  # one film
            (10, "unknown", None), (11, "unknown", None), (12, "", None),
        ],
        [(1, 1, 3, 1)],
    )
    assert find_aliases(dataset.movies).tolist() == [[8, 7]]


def test_placeholder_titles_are_only_the_bare_word():
    assert is_placeholder_title("unknown") and is_placeholder_title(" Unknown ")
    assert is_placeholder_title("") and is_placeholder_title(None)
    assert not is_placeholder_title("Unknown (2011)")
    assert not is_placeholder_title("Unknown Soldier, The (1955)")


def test_prepare_flags_unknown_titles_and_keeps_their_ratings(tmp_path):
    dataset = _dataset(
        [(1, "Heat (1995)", 1995), (2, "unknown", None), (3, "Heat (1995)", 1995)],
        [(1, 2, 4, 1), (1, 1, 3, 2), (2, 3, 5, 3)],
    )
    features = prepare(dataset, source_checksum="x")
    assert features.movie_ids.tolist() == [1, 2]
    assert features.movie_unlisted.tolist() == [False, True]
    assert features.movie_aliases.tolist() == [[3, 1]]
    assert (features.ratings["movie_id"] == 2).sum() == 1, "the unknown movie still trains"
    counts = features.manifest["counts"]
    assert (counts["merged_ids"], counts["merged_films"], counts["unlisted_movies"]) == (1, 1, 1)
    save_features(features, tmp_path / "p")
    loaded = load_features(tmp_path / "p")
    np.testing.assert_array_equal(loaded.movie_aliases, features.movie_aliases)
    np.testing.assert_array_equal(loaded.movie_unlisted, features.movie_unlisted)


def test_a_folder_prepared_before_merging_loads_with_nothing_merged(tmp_path):
    dataset = _dataset([(1, "Heat (1995)", 1995), (2, "Up (2009)", 2009)], [(1, 1, 4, 1)])
    folder = tmp_path / "p"
    save_features(prepare(dataset, source_checksum="x"), folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("movie_aliases.npy", "movie_unlisted.npy"):
        (folder / name).unlink()
        del manifest["files"][name]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    loaded = load_features(folder)
    assert loaded.movie_aliases.shape == (0, 2)
    assert loaded.movie_unlisted.tolist() == [False, False]


def test_synthetic_flaws_are_planted(tmp_path):
    planted = synthesize(RELEASES["ml-1m"], tmp_path / "s", users=60, movies=80, ratings=2400,
                         seed=4, duplicates=3, unknown=2)
    movies = load_folder(tmp_path / "s", RELEASES["ml-1m"]).movies.set_index("movie_id")
    assert len(planted.aliases) == 3 and len(planted.unknown_ids) == 2
    for alias, kept in planted.aliases.items():
        assert alias > kept
        assert movies.loc[alias, ["title", "year", "genres"]].tolist() == movies.loc[
            kept, ["title", "year", "genres"]].tolist()
    for movie in planted.unknown_ids:
        assert movies.loc[movie, "title"] == "unknown" and pd.isna(movies.loc[movie, "year"])
    with pytest.raises(UsageError, match="cannot plant"):
        synthesize(RELEASES["ml-1m"], tmp_path / "t", users=60, movies=80, ratings=2400,
                   duplicates=40, unknown=1)


def test_synth_command_plants_on_request(tmp_path):
    options = ["--like", "ml-1m", "--users", "30", "--movies", "60", "--ratings", "900"]
    result = CliRunner().invoke(
        synth_command, [*options, "--duplicates", "1", "--unknown", "1", "--out", tmp_path / "a"])
    assert result.exit_code == 0, result.output
    assert "listed twice: " in result.output and "titled unknown: " in result.output
    refused = CliRunner().invoke(synth_command, [*options, "--duplicates", "-1", "--out",
                                                 tmp_path / "b"])
    assert refused.exit_code == 2 and "--duplicates" in refused.output


def test_prepare_command_merges_planted_duplicates(tmp_path):
    raw = tmp_path / "raw"
    planted = synthesize(RELEASES["ml-100k"], raw, users=60, movies=80, ratings=2400, seed=2,
                         duplicates=2, unknown=1)
    fetch_release("ml-100k", str(raw), progress=False)

    result = CliRunner().invoke(prepare_command, ["ml-100k"])

    assert result.exit_code == 0, result.output
    assert "merged 2 duplicate movie id(s) into the first id of 2 film(s)" in result.output
    assert '1 movie(s) titled "unknown"' in result.output
    features = load_features("ml-100k")
    assert {alias: kept for alias, kept in features.movie_aliases.tolist()} == planted.aliases
    unknown = features.movie_ids[features.movie_unlisted].tolist()
    assert unknown == list(planted.unknown_ids)
    ratings = features.ratings
    assert not ratings["movie_id"].isin(list(planted.aliases)).any()
    assert not ratings.duplicated(["user_id", "movie_id"]).any()
    raw_ratings = load_folder(raw, RELEASES["ml-100k"]).ratings
    doubles = _expected_doubles(raw_ratings, planted.aliases)
    assert doubles, "the planted copies share some raters"
    assert len(ratings) == len(raw_ratings) - len(doubles)
    kept = ratings.set_index(["user_id", "movie_id"])["timestamp"]
    for (user, movie), latest in doubles.items():
        assert kept[(user, movie)] == latest
    assert f"dropped {len(doubles)} double rating(s)" in result.output


def _expected_doubles(ratings: pd.DataFrame, aliases: dict[int, int]) -> dict[tuple, int]:
    """(user, kept id) -> the later timestamp, for every user who rated a film under both ids."""
    on_kept = ratings.assign(movie_id=ratings["movie_id"].replace(aliases))
    twice = on_kept[on_kept.duplicated(["user_id", "movie_id"], keep=False)]
    return twice.groupby(["user_id", "movie_id"])["timestamp"].max().to_dict()


@pytest.mark.realdata
def test_real_ml100k_duplicates(real_ml100k: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(real_ml100k) as archive:
        archive.extractall(tmp_path)
    dataset = load_folder(tmp_path / "ml-100k", RELEASES["ml-100k"])

    features = prepare(dataset, source_checksum="real")

    assert [tuple(pair) for pair in features.movie_aliases.tolist()] == ML100K_DUPLICATES
    titles = dataset.movies.set_index("movie_id")["title"]
    assert titles[268] == titles[246] == "Chasing Amy (1997)"
    assert features.movie_ids[features.movie_unlisted].tolist() == [267]
    assert len(features.movie_ids) == 1_682 - 18
    assert not features.ratings.duplicated(["user_id", "movie_id"]).any()
    moved = dataset.ratings["movie_id"].isin([alias for alias, _ in ML100K_DUPLICATES]).sum()
    assert features.manifest["counts"]["ratings_moved"] == moved


def test_prepare_command_keeps_the_latest_of_a_repeated_rating(tmp_path):
    raw = tmp_path / "raw"
    synthesize(RELEASES["ml-1m"], raw, users=60, movies=80, ratings=2400, seed=3)
    path = raw / "ratings.dat"
    first = path.read_text(encoding="latin-1").splitlines()[0]
    user, movie, _, timestamp = first.split("::")
    repeats = [f"{user}::{movie}::1::{int(timestamp) + 5}",
               f"{user}::{movie}::2::{int(timestamp) + 9}"]
    with path.open("a", encoding="latin-1") as stream:
        stream.write("\n".join(repeats) + "\n")
    fetch_release("ml-1m", str(raw), progress=False)

    result = CliRunner().invoke(prepare_command, ["ml-1m"])

    assert result.exit_code == 0, result.output
    assert "dropped 2 double rating(s)" in result.output
    ratings = load_features("ml-1m").ratings
    assert len(ratings) == 2400
    kept = ratings[(ratings["user_id"] == int(user)) & (ratings["movie_id"] == int(movie))]
    assert kept["rating"].tolist() == [2.0]
