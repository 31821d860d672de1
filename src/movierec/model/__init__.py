"""The model: the two-tower network (torch). Its artifact is served with numpy alone, by
`movierec.engine` (recommendations, and the ratings `movierec predict` writes).

Importing this package does not import torch; the network's names load on first use, so that
`movierec predict` and the web stay torch-free.
"""

from importlib import import_module
from typing import Any

__all__ = [
    "FeatureTables",
    "History",
    "NetworkConfig",
    "ShapeError",
    "TowerEnsemble",
    "TwoTowerNetwork",
    "build_network",
]

_TORCH_NAMES = {
    "FeatureTables": "movierec.model.tables",
    "History": "movierec.model.tables",
    "NetworkConfig": "movierec.model.config",
    "ShapeError": "movierec.model.network",
    "TwoTowerNetwork": "movierec.model.network",
    "TowerEnsemble": "movierec.model.ensemble",
    "build_network": "movierec.model.ensemble",
}


def __getattr__(name: str) -> Any:
    if name in _TORCH_NAMES:
        return getattr(import_module(_TORCH_NAMES[name]), name)
    raise AttributeError(f"module 'movierec.model' has no attribute {name!r}")
