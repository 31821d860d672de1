"""Evaluating a model artifact, on a planted model whose right answers are known.

Each user rated three movies in train and two in test (5 and 4 stars); the other three movies
would get 1 star. The model stores those ratings exactly: movie vectors are the identity and
user vectors the rating minus global and bias terms, so u.m + b_u + b_m + g is the true rating.
Ids are not row indices, and movie ids are stored in descending order, to catch mix-ups.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from synthetic_artifacts import movie_records, write_model

from movierec.artifacts import read_artifact
from movierec.cli.evaluate import evaluate
from movierec.evaluation import (
    ArtifactModel,
    EvaluationSettings,
    default_baselines,
    evaluate_model,
)
from movierec.evaluation.artifact_model import RANKING_VECTORS, RATING_HEAD
from movierec.evaluation.report_markdown import setting_lines

USER_IDS = np.array([100, 103, 106, 109, 112, 115])
MOVIE_IDS = np.array([77, 67, 57, 47, 37, 27, 17, 7])
GLOBAL = 3.0
USER_BIAS = np.linspace(-0.2, 0.3, USER_IDS.size)
MOVIE_BIAS = np.linspace(-0.1, 0.25, MOVIE_IDS.size)
TRAIN_STARS, TEST_STARS, UNRATED_STARS = (2.0, 3.0, 4.0), (5.0, 4.0), 1.0


def true_ratings() -> np.ndarray:
    """(U, M) the rating every user gives every movie; column j is movie index j."""
    ratings = np.full((USER_IDS.size, MOVIE_IDS.size), UNRATED_STARS)
    for user in range(USER_IDS.size):
        for offset, stars in enumerate(TRAIN_STARS + TEST_STARS):
            ratings[user, (user + offset) % MOVIE_IDS.size] = stars
    return ratings


def average_user_rating(movie: int) -> float:
    """The average user's rating of movie index `movie`: ratings are linear in the user's vector
    and bias, so it is the mean of every user's."""
    return float(np.clip(true_ratings()[:, movie].mean(), 1.0, 5.0))


TRAIN_MEAN = float(np.mean(TRAIN_STARS))
"""The mean training rating: every user rated the train stars once."""


def part(user: int, which: str) -> list[int]:
    """Movie indices of a user's train or test ratings."""
    offsets = range(3) if which == "train" else range(3, 5)
    return [(user + offset) % MOVIE_IDS.size for offset in offsets]


def build_artifact(destination: Path, *, ranking: np.ndarray | None = None) -> Path:
    """The planted model; `ranking` (U, M), if given, becomes its ranking vectors' scores."""
    ratings = true_ratings()
    residual = ratings - GLOBAL - USER_BIAS[:, None] - MOVIE_BIAS[None, :]
    seen = [{movie: ratings[user, movie] for movie in part(user, "train")}
            for user in range(USER_IDS.size)]
    triples = [(user, movie, ratings[user, movie])
               for user in range(USER_IDS.size) for movie in part(user, "test")]
    arrays = {"test_triples": np.array(triples, dtype=np.float64)}
    if ranking is not None:
        arrays["ranking_user_vectors"] = ranking.astype(np.float32)
        arrays["ranking_movie_vectors"] = np.eye(MOVIE_IDS.size, dtype=np.float32)
    documents = {
        "config": {"preset": "planted"},
        "split": {"name": "planted"},
        "metrics": {"epochs": 3, "train": {"rmse": 0.5}, "train_seconds": 1.5},
    }
    return write_model(
        destination, user_ids=USER_IDS, movies=movie_records(MOVIE_IDS), user_vectors=residual,
        movie_vectors=np.eye(MOVIE_IDS.size), seen=seen, user_bias=USER_BIAS,
        movie_bias=MOVIE_BIAS, global_bias=GLOBAL, arrays=arrays, documents=documents,
    )


def write_split_files(folder: Path, extra_train: list[tuple], extra_test: list[tuple]
                      ) -> tuple[Path, Path]:
    """The planted split as CSV files in dataset ids, plus extra (user, movie, rating) rows."""
    ratings = true_ratings()
    rows: dict[str, list[tuple]] = {"train": list(extra_train), "test": list(extra_test)}
    for which in rows:
        for user in range(USER_IDS.size):
            rows[which] += [(USER_IDS[user], MOVIE_IDS[m], ratings[user, m])
                            for m in part(user, which)]
    paths = []
    for which, data in rows.items():
        frame = pd.DataFrame(data, columns=["user", "movie", "rating"])
        frame["timestamp"] = 0
        frame.to_csv(folder / f"{which}.csv", index=False)
        paths.append(folder / f"{which}.csv")
    return paths[0], paths[1]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_artifact(tmp_path_factory.mktemp("planted") / "run")


QUICK = EvaluationSettings(k=2, baselines=False)


def test_a_perfect_model_has_no_rating_error_and_full_recall(planted: Path) -> None:
    document = evaluate_model(planted, settings=QUICK)
    model = document["results"]["model"]
    assert model["rmse"] == pytest.approx(0.0, abs=1e-5)
    assert model["mae"] == pytest.approx(0.0, abs=1e-5)
    assert model["n_ratings"] == 2 * USER_IDS.size
    for metric in ("precision", "recall", "ndcg", "map", "hit_rate"):
        assert model[metric] == pytest.approx(1.0), metric
    assert model["users_evaluated"] == USER_IDS.size and model["users_skipped"] == 0
    assert document["model"]["ranking"] == RATING_HEAD
    assert document["split"]["name"] == "model" and document["warnings"] == []


def test_the_default_split_is_the_artifacts_own(planted: Path) -> None:
    document = evaluate_model(planted, settings=QUICK)
    split = document["split"]
    assert split["train_ratings"] == 3 * USER_IDS.size
    assert split["test_ratings"] == 2 * USER_IDS.size
    assert split["protocol"] == {"name": "planted"}
    assert split["test_in_model_training"] == 0
    assert sum(b["test_ratings"] for b in document["activity"]) == split["test_ratings"]
    # the bias baseline is the activity reference even when the baselines are skipped
    assert document["baselines"] == []
    assert all(set(b["rmse"]) == {"model", "user_movie_bias"} for b in document["activity"])


def test_ranking_vectors_rank_when_present(tmp_path: Path) -> None:
    # Ranking vectors that put every unrated (1-star) movie first: nothing relevant is found,
    # while the rating head, still used for ratings, stays perfect.
    ranking = (true_ratings() == UNRATED_STARS).astype(float)
    path = build_artifact(tmp_path / "ranked", ranking=ranking)
    document = evaluate_model(path, settings=QUICK)
    model = document["results"]["model"]
    assert document["model"]["ranking"] == RANKING_VECTORS
    assert model["recall"] == 0.0
    assert model["rmse"] == pytest.approx(0.0, abs=1e-5)


def test_unknown_ids_fall_back_to_the_average_user_and_the_mean(planted: Path) -> None:
    model = ArtifactModel(read_artifact(planted), np.array([9999]))
    predicted = model.predict(np.array([999, 100, 999]), np.array([7, 9999, 9999]))
    assert predicted[0] == pytest.approx(average_user_rating(-1), abs=1e-5)
    assert predicted[1] == pytest.approx(TRAIN_MEAN + USER_BIAS[0], abs=1e-6)
    assert predicted[2] == pytest.approx(TRAIN_MEAN)
    scores = model.score_users(np.array([100, 999]))
    assert model.catalogue[-1] == 9999 and np.isnan(scores[:, -1]).all()
    # an unknown user is ranked by global + movie bias; columns follow ascending movie id
    assert scores[1, :-1] == pytest.approx(GLOBAL + MOVIE_BIAS[::-1], abs=1e-6)


def test_split_files_with_unknown_ids_are_counted_not_fatal(planted: Path, tmp_path: Path
                                                            ) -> None:
    train, test = write_split_files(
        tmp_path, extra_train=[(999, 17, 3.0)], extra_test=[(999, 7, 5.0), (100, 9999, 4.0)]
    )
    document = evaluate_model(planted, (train, test), QUICK)
    split = document["split"]
    assert split["name"] == "files" and split["test"] == str(test)
    assert (split["test_unknown_user"], split["test_unknown_movie"]) == (1, 1)
    assert (split["train_unknown_user"], split["train_unknown_movie"]) == (1, 0)
    assert split["catalogue_movies"] == MOVIE_IDS.size + 1
    errors = [5.0 - average_user_rating(-1), 4.0 - (TRAIN_MEAN + USER_BIAS[0])]
    expected_rmse = np.sqrt(np.sum(np.square(errors)) / (2 * USER_IDS.size + 2))
    assert document["results"]["model"]["rmse"] == pytest.approx(expected_rmse, abs=1e-5)
    assert ("Unknown to the model: the user of 1 test rating, the movie of 1 test rating, the "
            "user of 1 train rating.") in setting_lines(document)


def test_test_pairs_the_model_trained_on_raise_a_warning(planted: Path, tmp_path: Path) -> None:
    # user 100 (index 0) rated movie index 0 (id 77) in the model's train part
    train, test = write_split_files(tmp_path, extra_train=[], extra_test=[(100, 77, 2.0)])
    result = CliRunner().invoke(
        evaluate, ["--model", str(planted), "--split-files", str(train), str(test),
                   "--no-baselines", "--no-report", "--json"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["split"]["test_in_model_training"] == 1
    assert "warning: 1 of 13 test ratings" in result.stderr


def test_json_output_names_every_baseline(planted: Path) -> None:
    result = CliRunner().invoke(evaluate, ["--model", str(planted), "--json", "--no-report",
                                           "--k", "2"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    names = [baseline.name for baseline in default_baselines()]
    assert document["baselines"] == names
    assert list(document["results"]) == ["model", *names]
    bias = document["results"]["user_movie_bias"]
    assert bias["rmse"] > document["results"]["model"]["rmse"]
    assert {"precision", "recall", "ndcg", "map", "hit_rate", "coverage",
            "mean_popularity"} <= set(document["results"]["ease"])
    assert all(set(b["rmse"]) == {"model", "user_movie_bias"} for b in document["activity"])


def test_text_output_shows_the_tables(planted: Path) -> None:
    result = CliRunner().invoke(evaluate, ["--model", str(planted), "--no-baselines",
                                           "--no-report"])
    assert result.exit_code == 0, result.output
    assert "| **model** | 0.0000 | 0.0000 |" in result.stdout
    assert "P@10" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--model", "{tmp}/nowhere"], "no such model folder"),
        (["--model", "{model}", "--k", "0"], "Invalid value for '--k'"),
        (["--model", "{model}", "--k", "ten"], "Invalid value for '--k'"),
        (["--model", "{model}", "--split-files", "{tmp}/a.csv", "{tmp}/b.csv"], "no such file"),
        (["--model", "{tmp}"], "no manifest.json"),
    ],
)
def test_bad_input_gives_one_clear_line(planted: Path, tmp_path: Path, arguments: list[str],
                                        message: str) -> None:
    filled = [a.format(tmp=tmp_path, model=planted) for a in arguments]
    result = CliRunner().invoke(evaluate, [*filled, "--no-report"])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_malformed_split_file_is_named(planted: Path, tmp_path: Path) -> None:
    (tmp_path / "train.csv").write_text("user,movie,rating\n100,77,4\n")
    (tmp_path / "test.csv").write_text("user,movie,rating\n100,seven,4\n")
    result = CliRunner().invoke(evaluate, ["--model", str(planted), "--split-files",
                                           str(tmp_path / "train.csv"),
                                           str(tmp_path / "test.csv")])
    assert result.exit_code == 1
    assert "test.csv" in result.stderr and "Traceback" not in result.output


def test_evaluation_never_imports_torch(planted: Path) -> None:
    code = (
        "import sys\n"
        "from movierec.cli.evaluate import evaluate\n"
        "evaluate.main(['--model', sys.argv[1], '--no-baselines', '--json'],"
        " standalone_mode=False)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(planted)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
