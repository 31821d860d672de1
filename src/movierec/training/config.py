"""Hyperparameters of training, the named presets, and overrides from flags or a TOML file.

Hyperparameters (what a model is) live here and in `NetworkConfig`; where and how a run happens
(device, seed, folders, threads) is `RunContext`'s business, never mixed in.
"""

import dataclasses
import math
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from movierec.errors import UsageError
from movierec.model.network import NetworkConfig

SCHEDULES = ("constant", "cosine")
NEGATIVES = ("in-batch", "all")
RANKING_SWITCH = "ranking"
"""The setting that switches the ranking head on ("true": its default settings) or off."""
SCALE_REFERENCE = 100_000
"""Training ratings up to which a scaled epoch count is the configured one."""
RANKING_PREFIX = "ranking_"
"""The older spelling of a ranking setting: `ranking_epochs` is read as `ranking.epochs`."""


@dataclass(frozen=True)
class TrainingConfig:
    """How the network is fitted; the defaults are the seed's values."""

    epochs: int = 5
    """Passes over the training ratings (the most, when early stopping is on)."""
    scale_with_data: bool = False
    """Above 100,000 training ratings, fewer epochs and ensemble members (see `sized_for`):
    `epochs` and the network's `members` are then the counts at 100,000."""
    batch_size: int = 256
    """Ratings per optimiser step."""
    learning_rate: float = 1e-4
    """Adam's step size (the peak, under a schedule)."""
    weight_decay: float = 0.0
    """Decoupled weight decay (AdamW) on every weight except biases; 0 is plain Adam."""
    embedding_l2: float = 0.0
    """L2 penalty on the id embeddings and biases of each batch's rows, per rating."""
    lazy_embeddings: bool = False
    """Move an id embedding row, and its Adam moments, only at the steps whose batch reads it
    (SparseAdam): a step then costs its batch, not the tables. False is Adam as the seed had
    it, every row's moments decaying at every step."""
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
        _check_learning_rate(self.learning_rate, "training.learning_rate (--lr)")


@dataclass(frozen=True)
class RankingConfig:
    """The ranking head: a second pair of towers, fitted after the rating head to *which* movies
    people rate (not how) with a softmax over movies, so that its dot product ranks a user's
    unseen movies. Its towers take the preset's network settings, linear and without biases."""

    epochs: int = 10
    """Passes over the training ratings; a cosine schedule decays the rate to zero by the last."""
    scale_with_data: bool = True
    """Above 100,000 training ratings, fewer epochs (see `sized_for`): `epochs` is then the
    count at 100,000."""
    batch_size: int = 1024
    """Ratings per step; with in-batch negatives, also how many movies each positive competes
    with."""
    learning_rate: float = 2e-3
    """Adam's peak step size, decayed to zero by the last epoch."""
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
    history_sample: int = 64
    """Ratings of a row's history the ranking towers read per step (the network section's
    `history_sample` is the rating head's): lists lean on the histories more than stars do."""
    members: int = 1
    """Heads trained side by side from different starts; their scores are averaged."""
    tower_dropout: float = 0.0
    """Drop probability on each ranking tower's features before its output layer."""
    embedding_l2: float = 0.0
    """L2 penalty on the batch's id embeddings, per rating, as in the rating head."""

    def __post_init__(self) -> None:
        if self.negatives not in NEGATIVES:
            raise UsageError(f"ranking negatives must be one of {', '.join(NEGATIVES)}, "
                             f"not {self.negatives!r}")
        if self.epochs < 1 or self.batch_size < 2:
            raise UsageError("ranking epochs must be at least 1 and ranking batch_size at "
                             "least 2")
        if self.members < 1 or self.history_sample < 0:
            raise UsageError("ranking members must be at least 1 and history_sample >= 0")
        if not 0 <= self.tower_dropout < 1:
            raise UsageError("ranking tower_dropout must be in [0, 1)")
        _check_learning_rate(self.learning_rate, "ranking.learning_rate")
        if not 0 <= self.embedding_l2 < math.inf:
            raise UsageError("ranking embedding_l2 must be a finite number >= 0")
        if not 0 < self.disliked_weight <= 1:
            raise UsageError("ranking disliked_weight must be in (0, 1]")

    def network(self, rating_network: NetworkConfig) -> NetworkConfig:
        """The ranking towers' settings: the rating towers' features and widths, with linear
        outputs and no biases (a softmax over movies is blind to a user's bias), and this
        head's history sample (whole histories where the rating towers read them whole)."""
        sample = self.history_sample if rating_network.history_sample else 0
        return dataclasses.replace(
            rating_network, members=self.members, tower_dropout=self.tower_dropout,
            vector_activation="linear", biases=False, history_sample=sample,
        )


@dataclass(frozen=True)
class NewUserConfig:
    """The new-user head (`movierec.model.new_user_head`): fitted last, on the training users'
    first ratings in time order, to say what someone with only those ratings goes on to like.
    Each step draws, for a batch of users, a profile of each one's first k ratings (k uniform in
    1..max_profile, at most half their ratings); their later liked ratings are the answer."""

    enabled: bool = True
    """False: new users are folded into the rating and ranking heads instead."""
    epochs: int = 10
    """Passes over the training users (one profile each per pass)."""
    scale_with_data: bool = True
    """Above 100,000 training ratings, fewer epochs (as `sized_for` does for the heads)."""
    batch_size: int = 64
    """Users per step."""
    learning_rate: float = 3e-3
    """Adam's step size."""
    weight_decay: float = 1e-3
    """L2 penalty (Adam's) on the head's matrices and base vectors."""
    max_profile: int = 20
    """The longest profile a step draws (at most half a user's ratings)."""
    shrink: float = 2.0
    """Where the shrink starts: a profile of k ratings weighs k / (k + shrink) against the
    prior; the head learns its own value from there."""

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.max_profile < 1:
            raise UsageError("new_users epochs, batch_size and max_profile must be at least 1")
        _check_learning_rate(self.learning_rate, "new_users.learning_rate")
        if not (0 <= self.weight_decay < math.inf and 0 < self.shrink < math.inf):
            raise UsageError("new_users shrink must be positive and weight_decay >= 0, both "
                             "finite")


def _check_learning_rate(value: float, name: str) -> None:
    """UsageError naming the setting unless `value` is a positive finite step size: a rate of
    inf or nan trains a model of NaN vectors, one <= 0 trains nothing."""
    if not 0 < value < math.inf:
        raise UsageError(f"{name} must be a positive finite number, not {value!r}; try 1e-3")


SCALE_EXPONENT = 0.6
"""How fast sized counts shrink with the data: (100,000 / ratings) ** this."""


def scaled(count: int, rows: int, *, least: int) -> int:
    """`count` for a training part of up to 100,000 ratings; on more, count * (100,000 /
    rows) ** 0.6, rounded, and never under `least`."""
    if rows <= SCALE_REFERENCE:
        return count
    return max(least, round(count * (SCALE_REFERENCE / rows) ** SCALE_EXPONENT))


SECTIONS: dict[str, type] = {
    "network": NetworkConfig,
    "training": TrainingConfig,
    "ranking": RankingConfig,
    "new_users": NewUserConfig,
}
"""A settings section ([network] in TOML, `network.` in --set) -> the config it sets."""


@dataclass(frozen=True)
class Preset:
    """A named set of hyperparameters."""

    name: str
    """What `--preset` calls it."""
    network: NetworkConfig
    """The rating head's network."""
    training: TrainingConfig
    """How the rating head is fitted."""
    description: str
    """What it is, in a sentence."""
    ranking: RankingConfig | None = None
    """The ranking head's settings; None ranks by predicted rating (as the seed did)."""
    new_users: NewUserConfig = NewUserConfig(enabled=False)
    """The new-user head's settings; off in the seed, which folded new users in."""


def preset_settings(preset: Preset) -> dict[str, Any]:
    """Every setting of `preset` as given (before `sized_for`), JSON-ready: what a checkpoint
    resumes with and what a model's manifest keeps, so that a retrain trains the same recipe
    (`preset_from_settings` reads it back)."""
    return {
        "network_config": dataclasses.asdict(preset.network),
        "training_config": dataclasses.asdict(preset.training),
        "ranking_config": dataclasses.asdict(preset.ranking) if preset.ranking else None,
        "new_users_config": dataclasses.asdict(preset.new_users),
    }


def preset_from_settings(name: str, settings: dict[str, Any], description: str) -> Preset:
    """The preset called `name` whose settings `preset_settings` wrote."""
    network = settings["network_config"]
    ranking = settings.get("ranking_config")
    # Runs from before the new-user head had none.
    new_users = settings.get("new_users_config") or {"enabled": False}
    return Preset(
        name,
        NetworkConfig(**{**network, "text_windows": tuple(network["text_windows"])}),
        TrainingConfig(**settings["training_config"]),
        description,
        RankingConfig(**ranking) if ranking else None,
        NewUserConfig(**new_users),
    )


def sized_for(preset: Preset, rows: int) -> Preset:
    """`preset` as it trains on `rows` training ratings.

    With `scale_with_data`, a larger training part gets fewer epochs and ensemble members,
    each times (100,000 / rows) ** 0.6 (at least a fifth of the epochs, and one member); the
    ranking and new-user heads scale their epochs the same way. A pass over more data gives
    every weight more steps, so fewer passes reach the same fit, and an ensemble's gain shrinks
    as the data grows.
    """
    if rows <= SCALE_REFERENCE:
        return preset
    training, network, ranking = preset.training, preset.network, preset.ranking
    new_users = preset.new_users
    if training.scale_with_data:
        training = dataclasses.replace(
            training, epochs=scaled(training.epochs, rows, least=math.ceil(training.epochs / 5)),
            scale_with_data=False)
        network = dataclasses.replace(network, members=scaled(network.members, rows, least=1))
    if ranking is not None and ranking.scale_with_data:
        ranking = dataclasses.replace(
            ranking, epochs=scaled(ranking.epochs, rows, least=math.ceil(ranking.epochs / 5)),
            scale_with_data=False)
    if new_users.enabled and new_users.scale_with_data:
        new_users = dataclasses.replace(
            new_users, epochs=scaled(new_users.epochs, rows,
                                     least=math.ceil(new_users.epochs / 5)),
            scale_with_data=False)
    return dataclasses.replace(preset, network=network, training=training, ranking=ranking,
                               new_users=new_users)


PRESETS: dict[str, Preset] = {
    "seed": Preset(
        "seed",
        NetworkConfig(),
        TrainingConfig(),
        "the original network and training, exactly (MODEL.md)",
    ),
    # What each of its choices bought, measured: docs/experiments.md.
    "default": Preset(
        "default",
        NetworkConfig(
            id_dim=64,
            vector_dim=64,
            id_shortcut=True,
            history_dim=64,
            history_sample=32,
            history_refreshes=16,
            tower_dropout=0.6,
            members=3,
            vector_activation="linear",
            biases=True,
            title_tokens="words",
            embedding_scale=0.05,
        ),
        TrainingConfig(
            epochs=40,
            scale_with_data=True,
            batch_size=1024,
            learning_rate=1e-3,
            embedding_l2=0.05,
            lazy_embeddings=True,
            schedule="cosine",
            validation_fraction=0.02,
            patience=5,
        ),
        "three members, each matrix factorisation plus the seed's features and rating "
        "histories in both towers, with biases, dropout, a cosine schedule, early stopping; "
        "then a ranking head (softmax over movies) that orders every list",
        RankingConfig(),
        NewUserConfig(),
    ),
}


def get_preset(name: str) -> Preset:
    """The preset called `name`; UsageError listing the known ones otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UsageError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


def qualified_name(name: str) -> str:
    """The one name of the setting `name` stands for: "section.field" ("training.epochs"), or
    "ranking", the switch of the ranking head.

    Besides the sectioned form, a bare field name (network first, then training) and the older
    `ranking_` + field form are understood. UsageError names an unknown section or setting, or
    a setting written in the wrong section, and says what to write instead.
    """
    name = name.strip().replace("-", "_")
    section, dot, key = name.partition(".")
    if dot:
        _check_sectioned(name, section, key)
        return name
    if name == RANKING_SWITCH:
        return name
    for home in ("network", "training"):
        if name in _section_fields(home):
            return f"{home}.{name}"
    unprefixed = name.removeprefix(RANKING_PREFIX)
    if unprefixed != name and unprefixed in _section_fields("ranking"):
        return f"ranking.{unprefixed}"
    homes = _sections_of(name)
    if homes:
        raise UsageError(f"{name} is a [{homes[0]}] setting; write {homes[0]}.{name}")
    known = ", ".join([*(f"{section}.{field}" for section in SECTIONS
                         for field in _section_fields(section)), RANKING_SWITCH])
    raise UsageError(f"unknown hyperparameter {name!r}; known ones: {known}")


def with_overrides(preset: Preset, overrides: dict[str, Any]) -> Preset:
    """`preset` with some hyperparameters replaced, each named as `qualified_name` reads it
    ("training.epochs", "ranking.popularity_correction"; `ranking` = true/false adds or removes
    the ranking head). When two names mean the same setting, the later one wins.

    UsageError names an unknown setting, a value of the wrong type, or a contradiction.
    """
    changes: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    switch: bool | None = None
    for key, value in overrides.items():
        name = qualified_name(key)
        if name == RANKING_SWITCH:
            switch = _coerce(name, value, bool)
            continue
        section, _, field = name.partition(".")
        changes[section][field] = _coerce(name, value, _section_fields(section)[field].type)
    try:
        network = dataclasses.replace(preset.network, **changes["network"])
    except ValueError as error:
        raise UsageError(str(error)) from None
    training = dataclasses.replace(preset.training, **changes["training"])
    ranking = _ranking_with(preset, switch, changes["ranking"])
    new_users = dataclasses.replace(preset.new_users, **changes["new_users"])
    return dataclasses.replace(preset, network=network, training=training, ranking=ranking,
                               new_users=new_users)


def _ranking_with(preset: Preset, switch: bool | None, changes: dict[str, Any]
                  ) -> RankingConfig | None:
    ranking = preset.ranking
    if switch is False:
        if changes:
            raise UsageError("ranking=false removes the ranking head, so ranking.* settings "
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
    """Hyperparameters from a TOML file, by qualified name: [network], [training], [ranking]
    and [new_users] tables of their configs' fields, and top-level `ranking = true|false` (or
    bare field names, as `qualified_name` reads them). A [ranking] table asks for the ranking
    head, as `ranking = true` would (TOML cannot hold both). UsageError, naming the file, when
    it cannot be read or names an unknown section or setting."""
    try:
        document = tomllib.loads(Path(path).read_text())
    except OSError as error:
        raise UsageError(f"{path}: cannot read the config file ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML ({error})") from None
    overrides: dict[str, Any] = {}
    try:
        for key, value in document.items():
            if not isinstance(value, dict):
                overrides[qualified_name(key)] = value
                continue
            if key not in SECTIONS:
                raise UsageError(_unknown_section(key))
            if key == "ranking":
                overrides[RANKING_SWITCH] = True
            for field, setting in value.items():
                overrides[qualified_name(f"{key}.{field}")] = setting
    except UsageError as error:
        raise UsageError(f"{path}: {error}") from None
    return overrides


def _check_sectioned(name: str, section: str, key: str) -> None:
    if section not in SECTIONS:
        raise UsageError(_unknown_section(section))
    if key in _section_fields(section):
        return
    homes = _sections_of(key)
    if homes:
        where = _one_of([f"[{home}]" for home in homes])
        instead = _one_of([f"{home}.{key}" for home in homes])
        raise UsageError(f"{key} is a {where} setting, not [{section}]; write {instead}")
    known = ", ".join(_section_fields(section))
    raise UsageError(f"unknown [{section}] setting {key!r} in {name!r}; [{section}] knows "
                     f"{known}")


def _one_of(choices: list[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    return " or ".join([", ".join(choices[:-1]), choices[-1]] if len(choices) > 2 else choices)


def _unknown_section(section: str) -> str:
    return (f"unknown section [{section}]; the sections are "
            f"{', '.join(f'[{known}]' for known in SECTIONS)}")


def _section_fields(section: str) -> dict[str, dataclasses.Field[Any]]:
    return {field.name: field for field in fields(SECTIONS[section])}


def _sections_of(key: str) -> list[str]:
    return [section for section in SECTIONS if key in _section_fields(section)]


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
