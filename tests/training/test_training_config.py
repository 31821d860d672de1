"""Presets, hyperparameter overrides (flags, --set, TOML) and the train command's options."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from movierec.artifacts import read_artifact
from movierec.cli.train import train
from movierec.data.features import load_features
from movierec.errors import DataError, UsageError
from movierec.training.config import (
    PRESETS,
    RankingConfig,
    get_preset,
    read_config_file,
    with_overrides,
)


def test_the_seed_preset_is_the_original() -> None:
    seed = get_preset("seed")
    assert (seed.training.learning_rate, seed.training.batch_size, seed.training.epochs) == (
        1e-4, 256, 5)
    assert seed.training.validation_fraction == 0 and seed.training.schedule == "constant"
    assert seed.network.vector_activation == "tanh" and not seed.network.biases
    assert seed.network.title_tokens == "seed"
    assert set(PRESETS) == {"seed", "default"}


def test_overrides_replace_fields_by_name() -> None:
    preset = with_overrides(get_preset("seed"), {"epochs": "7", "vector-dim": 64,
                                                 "biases": "true", "text_windows": "2,3"})
    assert preset.training.epochs == 7
    assert preset.network.vector_dim == 64 and preset.network.biases
    assert preset.network.text_windows == (2, 3)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"epochz": 3}, "unknown hyperparameter 'epochz'"),
    ({"epochs": "many"}, "epochs: 'many' is not a valid int"),
    ({"vector_activation": "relu"}, "vector_activation"),
    ({"schedule": "step"}, "schedule must be one of"),
    ({"patience": 2, "validation_fraction": 0}, "needs a validation_fraction"),
])
def test_bad_overrides_are_named(overrides: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        with_overrides(get_preset("default"), overrides)


def test_unknown_preset_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match="seed, default"):
        get_preset("fancy")


def test_config_file_accepts_flat_and_sectioned_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('epochs = 3\n[network]\nvector_dim = 24\n[training]\nlearning_rate = 0.01\n')
    assert read_config_file(path) == {"epochs": 3, "vector_dim": 24, "learning_rate": 0.01}
    path.write_text("epochs = \n")
    with pytest.raises(UsageError, match="not valid TOML"):
        read_config_file(path)


def test_train_cli_with_config_flags_and_split_files(planted: Path, tmp_path: Path) -> None:
    features = load_features(planted)
    ratings = features.ratings.rename(columns={"user_id": "user", "movie_id": "movie"})
    columns = ["user", "movie", "rating", "timestamp"]
    ratings.iloc[:7000][columns].to_csv(tmp_path / "train.csv", index=False)
    ratings.iloc[7000:][columns].to_csv(tmp_path / "test.csv", index=False)
    config = tmp_path / "config.toml"
    config.write_text("vector_dim = 8\nepochs = 5\n")
    out = tmp_path / "model"
    result = CliRunner().invoke(train, [
        str(planted), "--preset", "seed", "--config", str(config), "--epochs", "1",
        "--set", "text_filters=4", "--split-files", str(tmp_path / "train.csv"),
        str(tmp_path / "test.csv"), "--out", str(out), "--threads", "1", "--quiet",
    ])
    assert result.exit_code == 0, result.output
    assert "model written to" in result.stdout
    artifact = read_artifact(out)
    config_document = artifact.document("config")
    assert config_document["training"]["epochs"] == 1  # the flag beats the file
    assert config_document["network"]["vector_dim"] == 8
    assert config_document["network"]["text_filters"] == 4
    assert artifact.document("split")["name"] == "files"
    assert len(artifact.array("test_triples")) == len(ratings) - 7000


def test_train_cli_default_folder_is_under_runs(planted: Path,
                                                 movierec_home: Path) -> None:
    result = CliRunner().invoke(train, [str(planted), "--preset", "seed", "--epochs", "1",
                                        "--set", "vector_dim=4", "--threads", "1", "--quiet",
                                        "--split", "leave-last-out"])
    assert result.exit_code == 0, result.output
    runs = list((movierec_home / "runs").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith(f"{planted.name}-seed-")
    assert read_artifact(runs[0]).document("split")["name"] == "leave-last-out"


def test_train_cli_errors_are_usage_errors(planted: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(train, [str(planted), "--resume"])
    assert isinstance(result.exception, UsageError) and "--out" in str(result.exception)
    result = runner.invoke(train, [str(planted), "--set", "oops"])
    assert isinstance(result.exception, UsageError)
    result = runner.invoke(train, [str(tmp_path / "nowhere")])
    assert isinstance(result.exception, DataError) and "prepare" in str(result.exception)
    bad = tmp_path / "test.csv"
    pd.DataFrame({"user": [999999], "movie": [1], "rating": [3.0]}).to_csv(bad, index=False)
    result = runner.invoke(train, [str(planted), "--split-files", str(bad), str(bad),
                                   "--out", str(tmp_path / "m")])
    assert isinstance(result.exception, DataError) and "999999" in str(result.exception)


def test_the_default_preset_ranks_with_a_head_and_the_seed_by_rating() -> None:
    assert get_preset("default").ranking is not None
    assert get_preset("seed").ranking is None


def test_ranking_settings_take_the_ranking_prefix() -> None:
    preset = with_overrides(get_preset("default"), {"ranking_epochs": "7",
                                                    "ranking-negatives": "all"})
    assert preset.ranking.epochs == 7 and preset.ranking.negatives == "all"
    assert preset.training == get_preset("default").training


def test_ranking_true_adds_a_head_and_false_removes_it() -> None:
    seed = with_overrides(get_preset("seed"), {"ranking": "true", "ranking_epochs": 3})
    assert seed.ranking == RankingConfig(epochs=3)
    assert with_overrides(get_preset("default"), {"ranking": False}).ranking is None


@pytest.mark.parametrize(("preset", "overrides", "message"), [
    ("seed", {"ranking_epochs": 3}, "has no ranking head; add ranking=true"),
    ("default", {"ranking": "no", "ranking_epochs": 3}, "drop one or the other"),
    ("default", {"ranking": "maybe"}, "not a valid bool"),
    ("default", {"ranking_negatives": "some"}, "in-batch, all"),
    ("default", {"ranking_disliked_weight": 0}, r"\(0, 1\]"),
    ("default", {"ranking_sideways": 1}, "unknown hyperparameter 'ranking_sideways'"),
])
def test_ranking_overrides_are_checked(preset: str, overrides: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        with_overrides(get_preset(preset), overrides)


def test_the_ranking_towers_are_the_rating_towers_made_linear() -> None:
    preset = get_preset("default")
    network = preset.ranking.network(preset.network)
    assert network.vector_activation == "linear" and not network.biases
    assert network.members == preset.ranking.members
    assert network.history_dim == preset.network.history_dim
