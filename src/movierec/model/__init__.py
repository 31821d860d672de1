"""The model: the two-tower network (torch) and the numpy scorer that serves its artifact.

Importing this package does not import torch; the network's names load on first use, so that
`movierec predict` and the web stay torch-free.
"""

from importlib import import_module
from typing import Any

from movierec.model.scorer import RatingScorer, UnknownIdsError

__all__ = [
    "FeatureTables",
    "NetworkConfig",
    "RatingScorer",
    "ShapeError",
    "TwoTowerNetwork",
    "UnknownIdsError",
]

_NETWORK_NAMES = {"FeatureTables", "NetworkConfig", "ShapeError", "TwoTowerNetwork"}


def __getattr__(name: str) -> Any:
    if name in _NETWORK_NAMES:
        return getattr(import_module("movierec.model.network"), name)
    raise AttributeError(f"module 'movierec.model' has no attribute {name!r}")
