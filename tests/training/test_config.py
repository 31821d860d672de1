"""Presets, hyperparameter overrides (flags, --set, TOML) and the train command's options."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from movierec.artifacts import read_artifact
from movierec.cli.main import cli
from movierec.cli.train import train
from movierec.data.features import load_features
from movierec.errors import DataError, UsageError
from movierec.training.config import (
    PRESETS,
    RankingConfig,
    get_preset,
    qualified_name,
    read_config_file,
    sized_for,
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


def test_train_help_lists_the_presets_and_click_refuses_others() -> None:
    help_text = CliRunner().invoke(train, ["--help"]).output
    assert f"--preset [{'|'.join(PRESETS)}]" in help_text
    result = CliRunner().invoke(cli, ["train", "ml-1m", "--preset", "fancy"])
    assert result.exit_code == 2
    assert "Invalid value for '--preset': 'fancy' is not one of 'seed', 'default'." in (
        result.stderr
    )


def test_only_train_loads_torch_for_its_presets() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from movierec.cli.main import cli\n"
        "for args in (['--help'], ['recommend', 'new', '--help'], ['report', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
        "assert 'torch' not in sys.modules, 'help away from train loaded torch'\n"
        "assert 'seed|default' in CliRunner().invoke(cli, ['train', '--help']).output\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_config_file_sections_set_their_own_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("epochs = 3\n[network]\nvector_dim = 24\n[training]\nlearning_rate = 0.01\n"
                    "[ranking]\nepochs = 7\npopularity_correction = 0.5\n")
    assert read_config_file(path) == {
        "training.epochs": 3, "network.vector_dim": 24, "training.learning_rate": 0.01,
        "ranking": True, "ranking.epochs": 7, "ranking.popularity_correction": 0.5,
    }
    # A [ranking] table asks for the head: the seed preset gets one.
    preset = with_overrides(get_preset("seed"), read_config_file(path))
    assert (preset.training.epochs, preset.network.vector_dim) == (3, 24)
    assert preset.ranking == RankingConfig(epochs=7, popularity_correction=0.5)
    path.write_text("ranking = false\n")
    assert with_overrides(get_preset("default"), read_config_file(path)).ranking is None
    path.write_text("epochs = \n")
    with pytest.raises(UsageError, match="not valid TOML"):
        read_config_file(path)


@pytest.mark.parametrize(("text", "message"), [
    ("[network]\nepochs = 3\n",
     r"epochs is a \[training\], \[ranking\] or \[new_users\] setting, not \[network\]"),
    ("[ranking]\nvector_dim = 8\n", r"vector_dim is a \[network\] setting, not \[ranking\]"),
    ("[training]\nepochz = 3\n", r"unknown \[training\] setting 'epochz'.*patience"),
    ("[model]\nvector_dim = 8\n",
     r"unknown section \[model\]; the sections are \[network\], \[training\], \[ranking\]"),
])
def test_config_file_refuses_wrong_sections_by_name(tmp_path: Path, text: str,
                                                    message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match=f"config.toml: {message}"):
        read_config_file(path)


@pytest.mark.parametrize(("name", "qualified"), [
    ("training.epochs", "training.epochs"),
    ("epochs", "training.epochs"),
    ("vector-dim", "network.vector_dim"),
    ("members", "network.members"),
    ("ranking.members", "ranking.members"),
    ("ranking_popularity_correction", "ranking.popularity_correction"),
    ("ranking", "ranking"),
])
def test_names_resolve_to_one_section(name: str, qualified: str) -> None:
    assert qualified_name(name) == qualified


@pytest.mark.parametrize(("name", "message"), [
    ("network.epochs", "write training.epochs, ranking.epochs or new_users.epochs"),
    ("popularity_correction", r"is a \[ranking\] setting; write ranking.popularity_correction"),
    ("fancy.epochs", r"unknown section \[fancy\]"),
    ("ranking.sideways", r"unknown \[ranking\] setting 'sideways'"),
])
def test_wrong_names_are_refused_by_name(name: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        qualified_name(name)


def test_sectioned_overrides_reach_exactly_their_config() -> None:
    preset = with_overrides(get_preset("default"), {
        "training.epochs": 3, "ranking.epochs": "2", "network.history_dim": 0,
        "ranking.popularity_correction": 0.5})
    default = get_preset("default")
    assert preset.training.epochs == 3 and preset.ranking.epochs == 2
    assert preset.network.history_dim == 0 and preset.ranking.popularity_correction == 0.5
    assert preset.ranking.batch_size == default.ranking.batch_size
    # The same setting twice: the later name wins, whichever way it is written.
    assert with_overrides(default, {"training.epochs": 3, "epochs": 4}).training.epochs == 4


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


def test_train_cli_takes_sectioned_settings(planted: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[network]\nvector_dim = 8\n[training]\nepochs = 5\n")
    out = tmp_path / "model"
    result = CliRunner().invoke(train, [
        str(planted), "--preset", "seed", "--config", str(config), "--set", "training.epochs=1",
        "--set", "ranking=true", "--set", "ranking.epochs=1", "--set", "ranking.batch_size=64",
        "--out", str(out), "--threads", "1", "--quiet",
    ])
    assert result.exit_code == 0, result.output
    config_document = read_artifact(out).document("config")
    assert config_document["training"]["epochs"] == 1  # --set beats the file
    assert config_document["network"]["vector_dim"] == 8
    assert config_document["ranking"]["settings"]["batch_size"] == 64


@pytest.mark.parametrize(("arguments", "message"), [
    (["--set", "network.epochs=3"], "--set 'network.epochs=3': epochs is a [training]"),
    (["--set", "model.epochs=3"], "unknown section [model]"),
    (["--set", "ranking.epochs=1", "--set", "ranking=false"], "drop one or the other"),
])
def test_train_cli_refuses_wrong_sections(planted: Path, tmp_path: Path, arguments: list[str],
                                          message: str) -> None:
    result = CliRunner().invoke(train, [str(planted), "--out", str(tmp_path / "m"), *arguments])
    assert isinstance(result.exception, UsageError)
    assert message in str(result.exception)
    assert not (tmp_path / "m").exists()


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


def test_the_default_preset_is_sized_by_the_data() -> None:
    preset = get_preset("default")
    assert sized_for(preset, 90_000) == preset  # ML-100K-size data: as configured
    one_million = sized_for(preset, 784_000)  # ML-1M's training part
    assert (one_million.training.epochs, one_million.network.members) == (12, 1)
    assert one_million.ranking.epochs == 3
    assert one_million.new_users.epochs == 3
    assert not one_million.training.scale_with_data  # sized once, never twice
    assert sized_for(one_million, 784_000) == one_million
    huge = sized_for(preset, 25_000_000)
    assert (huge.training.epochs, huge.network.members, huge.ranking.epochs) == (8, 1, 2)
    seed = get_preset("seed")
    assert sized_for(seed, 25_000_000) == seed  # the original, exactly, at any size


def test_a_sized_run_says_what_it_was_sized_to() -> None:
    from movierec.training.run import _sized_line

    line = _sized_line(sized_for(get_preset("default"), 784_000), 784_000)
    assert line == ("sized for 784,000 training ratings (training.scale_with_data): rating "
                    "head 1 member, 12 epochs at most; ranking head 3 epochs")


@pytest.mark.parametrize("rate", ["inf", "nan", "-1", "0"])
def test_train_cli_refuses_a_learning_rate_that_cannot_train(planted: Path, tmp_path: Path,
                                                             rate: str) -> None:
    out = tmp_path / "m"
    result = CliRunner().invoke(cli, ["train", str(planted), "--lr", rate, "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith("error: training.learning_rate (--lr) must be a positive "
                                     "finite number")
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(("overrides", "setting"), [
    ({"ranking.learning_rate": "nan"}, "ranking.learning_rate"),
    ({"new_users.learning_rate": "inf"}, "new_users.learning_rate"),
])
def test_every_head_refuses_a_learning_rate_that_cannot_train(overrides: dict,
                                                              setting: str) -> None:
    with pytest.raises(UsageError, match=f"{setting} must be a positive finite number"):
        with_overrides(get_preset("default"), overrides)
