"""`movierec predict` on a hand-made artifact: no torch involved, and the same predictions,
fallback included, as `movierec evaluate` makes."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from synthetic_artifacts import movie_records, write_model

from movierec.artifacts import ArtifactError, read_artifact
from movierec.cli.predict import predict
from movierec.errors import DataError
from movierec.evaluation import ArtifactModel

USER_IDS = np.array([10, 20, 30])
MOVIE_IDS = np.array([5, 7])
USER_VECTORS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)


def make_artifact(folder: Path, *, biases: bool = True) -> Path:
    """Without biases the vectors carry the whole rating: users rate movie 5 at 3, 1.5 and 4.5,
    movie 7 at 0, 3 and 3; they rated 4 and 2 stars in training (mean 3)."""
    if biases:
        movie_vectors = np.array([[0.5, 0.0], [0.0, 3.0]], np.float32)
        user_bias = np.array([0.1, -0.2, 0.0], np.float32)
        movie_bias = np.array([0.3, 0.0], np.float32)
    else:
        movie_vectors = np.array([[3.0, 1.5], [0.0, 3.0]], np.float32)
        user_bias, movie_bias = np.zeros(3, np.float32), np.zeros(2, np.float32)
    return write_model(
        folder, user_ids=USER_IDS, movies=movie_records(MOVIE_IDS), user_vectors=USER_VECTORS,
        movie_vectors=movie_vectors, seen=[{0: 4.0}, {1: 2.0}, {}], user_bias=user_bias,
        movie_bias=movie_bias, global_bias=3.0 if biases else 0.0,
        documents={"config": {"network": {"biases": biases}}},
    )


def predicted(folder: Path, pairs: str, *options: str) -> list[float]:
    """The predictions `movierec predict` writes for `pairs` (CSV text)."""
    path = folder.parent / "pairs.csv"
    path.write_text(pairs)
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(path), *options])
    assert result.exit_code == 0, result.output
    return [float(line.split(",")[2]) for line in result.stdout.splitlines()[1:]]


def test_prediction_is_dot_plus_biases_clipped(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    # 0.5 + 0.1 + 0.3 + 3; 0 - 0.2 + 0.3 + 3; 3 + 0 + 0 + 3 = 6 -> clipped to 5
    assert predicted(folder, "user,movie\n10,5\n20,5\n30,7\n") == pytest.approx([3.9, 3.1, 5.0])


def test_fallback_rates_an_unknown_user_as_the_average_user(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    values = predicted(folder, "user,movie\n99,5\n99,7\n10,8\n99,8\n", "--fallback")
    # The average user: vector (2/3, 2/3), bias -0.1/3. An unknown movie: the mean training
    # rating (3), plus the user's bias when the user is known.
    average_bias = -0.1 / 3
    expected = [2 / 3 * 0.5 + average_bias + 0.3 + 3, 2 / 3 * 3 + average_bias + 3, 3.1, 3.0]
    assert values == pytest.approx(expected, abs=1e-4)


def test_fallback_without_biases_is_the_mean_of_the_users_predictions(tmp_path: Path) -> None:
    # A model without biases has a global bias of 0: the terms alone would say 1 star.
    folder = make_artifact(tmp_path / "model", biases=False)
    values = predicted(folder, "user,movie\n99,5\n99,7\n99,8\n", "--fallback")
    assert values == pytest.approx([3.0, 2.0, 3.0], abs=1e-4)


def test_evaluate_predicts_the_same(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model", biases=False)
    users, movies = np.array([10, 99, 10, 99]), np.array([5, 5, 8, 8])
    model = ArtifactModel(read_artifact(folder))
    pairs = "user,movie\n" + "".join(f"{u},{m}\n" for u, m in zip(users, movies, strict=True))
    assert predicted(folder, pairs, "--fallback") == pytest.approx(
        model.predict(users, movies).tolist(), abs=1e-4
    )


def test_a_changed_file_is_refused(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    vectors = folder / "user_vectors.npy"
    content = bytearray(vectors.read_bytes())
    content[-1] ^= 0xFF
    vectors.write_bytes(bytes(content))
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("user,movie\n10,5\n")
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(pairs)])
    assert isinstance(result.exception, ArtifactError)
    assert "checksum" in str(result.exception)


def test_predict_cli_writes_user_movie_prediction(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("movie,user,note\n5,10,a\n\n7,30,b\n")
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(pairs)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["user,movie,prediction", "10,5,3.9000", "30,7,5.0000"]


def test_predict_cli_names_the_lines_of_unknown_ids(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("user,movie\n10,5\n\n77,5\n10,8\n")
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(pairs)])
    assert isinstance(result.exception, DataError)
    message = str(result.exception)
    assert "line 4: user 77" in message and "line 5: movie 8" in message
    assert "--fallback" in message
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(pairs),
                                          "--out", str(out), "--fallback"])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[0] == "user,movie,prediction"
    assert len(out.read_text().splitlines()) == 4


@pytest.mark.parametrize(("content", "expected"), [
    ("user,film\n1,2\n", "line 1: the header lacks movie"),
    ("user,movie\n1,2\nx,3\n", "line 3: user 'x' is not a whole number"),
    ("user,movie\n1\n", "line 2: movie '(missing)'"),
    ("user,movie\n1,99999999999999999999\n", "line 2: movie '99999999999999999999' is too large"),
])
def test_predict_cli_reports_bad_input(tmp_path: Path, content: str, expected: str) -> None:
    folder = make_artifact(tmp_path / "model")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(content)
    result = CliRunner().invoke(predict, ["--model", str(folder), "--pairs", str(pairs)])
    assert isinstance(result.exception, DataError)
    assert expected in str(result.exception)


def test_predict_never_imports_torch(tmp_path: Path) -> None:
    folder = make_artifact(tmp_path / "model")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("user,movie\n10,5\n")
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from movierec.cli.predict import predict\n"
        f"result = CliRunner().invoke(predict, ['--model', {str(folder)!r}, "
        f"'--pairs', {str(pairs)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'torch' not in sys.modules, 'predict imported torch'\n"
        "import movierec.cli.main, movierec.model\n"
        "assert 'torch' not in sys.modules, 'importing the commands loaded torch'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
