"""The synthetic generator: sizes, realistic shape, and structure a model can find."""

import numpy as np
import pytest

from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.errors import UsageError


def test_sizes_and_shape(tmp_path):
    synthesize(RELEASES["ml-1m"], tmp_path / "s", users=100, movies=150, ratings=5000, seed=3)
    ratings = load_folder(tmp_path / "s", RELEASES["ml-1m"]).ratings
    assert len(ratings) == 5000
    assert not ratings.duplicated(["user_id", "movie_id"]).any()
    per_user = ratings.groupby("user_id").size()
    assert per_user.min() >= 20
    per_movie = ratings.groupby("movie_id").size().sort_values(ascending=False)
    # Popularity skew: the top tenth of movies take far more than a tenth of the ratings.
    assert per_movie.iloc[:15].sum() > 0.2 * len(ratings)


def test_planted_genre_preference_shows_in_ratings(tmp_path):
    planted = synthesize(RELEASES["ml-1m"], tmp_path / "s", users=200, movies=200,
                         ratings=12000, seed=5)
    ratings = load_folder(tmp_path / "s", RELEASES["ml-1m"]).ratings
    user_fav = dict(zip(planted.user_ids, planted.favourite_genre, strict=True))
    movie_main = dict(zip(planted.movie_ids, planted.main_genre, strict=True))
    loved = np.array([user_fav[u] == movie_main[m]
                      for u, m in zip(ratings["user_id"], ratings["movie_id"], strict=True)])
    assert ratings["rating"][loved].mean() > ratings["rating"][~loved].mean() + 0.3


def test_same_seed_same_files(tmp_path):
    for name in ("a", "b"):
        synthesize(RELEASES["ml-25m"], tmp_path / name, users=40, movies=60, ratings=900, seed=9)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_impossible_sizes_are_refused(tmp_path):
    with pytest.raises(UsageError, match="at least"):
        synthesize(RELEASES["ml-1m"], tmp_path / "s", users=10, movies=50, ratings=10)
    with pytest.raises(UsageError, match="more than half"):
        synthesize(RELEASES["ml-1m"], tmp_path / "s", users=10, movies=50, ratings=400)
    assert not (tmp_path / "s").exists()
