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
NEGATIVES = ("in-batch", "all")
RANKING_PREFIX = "ranking_"
"""Overrides of the ranking head's settings carry this prefix (`ranking_epochs=30`); the bare
name `ranking` switches the head on ("true": its default settings) or off ("false")."""


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
class RankingConfig:
    """The ranking head: a second pair of towers, fitted after the rating head to *which* movies
    people rate (not how) with a softmax over movies, so that its dot product ranks a user's
    unseen movies. Its towers take the preset's network settings, linear and without biases."""

    epochs: int = 10
    """Passes over the training ratings; a cosine schedule decays the rate to zero by the last."""
    batch_size: int = 1024
    """Ratings per step; with in-batch negatives, also how many movies each positive competes
    with."""
    learning_rate: float = 2e-3
    negatives: str = "in-batch"
    """"in-batch": the batch's other movies, their sampling bias removed by the log-Q
    correction (scales to any catalogue); "all": every movie, exact (small catalogues)."""
    popularity_correction: float = 0.1
    """lambda: lambda * log(movie popularity) is added to every logit while training, so the
    learnt scores leave that much popularity out and lists reach further into the catalogue;
    0 learns the plain softmax."""
    mask_seen: bool = True
    """Leave out of each positive's softmax the other movies that user rated in training: they
    are not negatives, and ranking never has to place them."""
    liked_rating: float = 4.0
    """Ratings at or above this are "liked" (the evaluation's relevance threshold)."""
    disliked_weight: float = 0.3
    """Weight in the loss of a positive rated below `liked_rating` (liked ones weigh 1): that
    rating still says the user chose the movie, but not that they would want more like it."""
    members: int = 1
    """Heads trained side by side from different starts; their scores are averaged."""
    tower_dropout: float = 0.0
    embedding_l2: float = 0.0
    """L2 penalty on the batch's id embeddings, per rating, as in the rating head."""

    def __post_init__(self) -> None:
        if self.negatives not in NEGATIVES:
            raise UsageError(f"ranking negatives must be one of {', '.join(NEGATIVES)}, "
                             f"not {self.negatives!r}")
        if self.epochs < 1 or self.batch_size < 2:
            raise UsageError("ranking epochs must be at least 1 and ranking batch_size at "
                             "least 2")
        if self.members < 1:
            raise UsageError("ranking members must be at least 1")
        if not 0 <= self.tower_dropout < 1:
            raise UsageError("ranking tower_dropout must be in [0, 1)")
        if self.learning_rate <= 0 or self.embedding_l2 < 0:
            raise UsageError("ranking learning_rate must be positive and embedding_l2 >= 0")
        if not 0 < self.disliked_weight <= 1:
            raise UsageError("ranking disliked_weight must be in (0, 1]")

    def network(self, rating_network: NetworkConfig) -> NetworkConfig:
        """The ranking towers' settings: the rating towers' features and widths, with linear
        outputs and no biases (a softmax over movies is blind to a user's bias)."""
        return dataclasses.replace(
            rating_network, members=self.members, tower_dropout=self.tower_dropout,
            vector_activation="linear", biases=False,
        )


@dataclass(frozen=True)
class Preset:
    """A named set of hyperparameters."""

    name: str
    network: NetworkConfig
    training: TrainingConfig
    description: str
    ranking: RankingConfig | None = None
    """The ranking head's settings; None ranks by predicted rating (as the seed did)."""


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
        "histories in both towers, with biases, dropout, a cosine schedule, early stopping; "
        "then a ranking head (softmax over movies) that orders every list",
        # The ranking head's defaults were measured on ML-100K (per-user temporal 80/20,
        # top-10, one head, NDCG@10 / recall@10 / coverage@10): 20 epochs at 1e-3 with every
        # rating weighing 1 gave 0.171 / 0.145 / 0.34; 10 epochs at 2e-3, 0.174 / 0.149; with
        # ratings below 4 weighing 0.5, 0.177 / 0.149, at 0.3, 0.180 / 0.153 (0.179 / 0.152
        # with another seed); the popularity correction of 0.1 then lifted coverage from 0.32
        # to 0.35 at 0.179 / 0.151. Every movie as a negative instead of the batch's tied
        # (0.173 at 1e-3), as did unit-length vectors with temperature 0.1 (0.171); without
        # the seen mask 0.159, without movie histories 0.178 / 0.147, dropout 0.3 0.167, only
        # liked ratings as positives 0.140; three heads instead of one, 0.180 as well, at 3x
        # the time. One network fitting ratings and the softmax on shared vectors lost on both
        # counts (temporal RMSE 0.952 -> 0.969 at NDCG 0.106 with the softmax weighing 0.3).
        RankingConfig(),
    ),
}


def get_preset(name: str) -> Preset:
    """The preset called `name`; UsageError listing the known ones otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UsageError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


def with_overrides(preset: Preset, overrides: dict[str, Any]) -> Preset:
    """`preset` with some hyperparameters replaced, by field name, from any of its configs
    (`ranking_` + a `RankingConfig` field for the ranking head; `ranking` = true/false adds or
    removes the head).

    UsageError names an unknown field, a value of the wrong type, or a contradiction.
    """
    network_fields = {field.name: field for field in fields(NetworkConfig)}
    training_fields = {field.name: field for field in fields(TrainingConfig)}
    ranking_fields = {RANKING_PREFIX + field.name: field for field in fields(RankingConfig)}
    network_changes, training_changes, ranking_changes = {}, {}, {}
    switch: bool | None = None
    for key, value in overrides.items():
        name = key.replace("-", "_")
        if name in training_fields:
            training_changes[name] = _coerce(name, value, training_fields[name].type)
        elif name in network_fields:
            network_changes[name] = _coerce(name, value, network_fields[name].type)
        elif name in ranking_fields:
            field = ranking_fields[name]
            ranking_changes[field.name] = _coerce(name, value, field.type)
        elif name == "ranking":
            switch = _coerce(name, value, bool)
        else:
            known = ", ".join(sorted({*network_fields, *training_fields, *ranking_fields,
                                      "ranking"}))
            raise UsageError(f"unknown hyperparameter {key!r}; known ones: {known}")
    try:
        network = dataclasses.replace(preset.network, **network_changes)
    except ValueError as error:
        raise UsageError(str(error)) from None
    training = dataclasses.replace(preset.training, **training_changes)
    ranking = _ranking_with(preset, switch, ranking_changes)
    return dataclasses.replace(preset, network=network, training=training, ranking=ranking)


def _ranking_with(preset: Preset, switch: bool | None, changes: dict[str, Any]
                  ) -> RankingConfig | None:
    ranking = preset.ranking
    if switch is False:
        if changes:
            raise UsageError("ranking=false removes the ranking head, so ranking_* settings "
                             "cannot apply; drop one or the other")
        return None
    if switch and ranking is None:
        ranking = RankingConfig()
    if changes:
        if ranking is None:
            raise UsageError(f"preset {preset.name!r} has no ranking head; add ranking=true "
                             "to give it one")
        ranking = dataclasses.replace(ranking, **changes)
    return ranking


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
