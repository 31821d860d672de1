"""A training run's per-epoch metrics (`metrics.jsonl`, one JSON object per line), flattened.

Nested objects become slash-joined names ({"train": {"loss": 0.9}} -> "train/loss"), so curves
read the same whichever way training nests them. Lines that are not JSON objects (a run cut
off mid-write) are skipped rather than failing the report.
"""

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

HISTORY_FILE = "metrics.jsonl"
CURVE_FAMILIES = ("rmse", "mae", "mse", "loss")
"""Metric families drawn as curves, each in its own panel; "rmse" is tested before "mse"."""
_EPOCH_KEYS = ("epoch", "epochs", "step")


def read_history(run_dir: Path) -> list[dict[str, float]]:
    """Flattened numeric metrics of every epoch in `run_dir`/metrics.jsonl; [] without one."""
    path = Path(run_dir) / HISTORY_FILE
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(flatten(record))
    return records


def epoch_of(record: Mapping[str, float], position: int) -> float:
    """The record's epoch number, else its 1-based position in the file."""
    for key in _EPOCH_KEYS:
        if key in record:
            return record[key]
    return float(position + 1)


def curve_family(name: str) -> str | None:
    """The family ("rmse", "loss"...) a metric belongs to, or None when it is not a curve."""
    words = re.split(r"[/_.\- ]", name.lower())
    for family in CURVE_FAMILIES:
        if family in words:
            return family
    return None


def curves(history: list[dict[str, float]]) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """family -> metric name -> [(epoch, value)] for every curve-like metric of the history."""
    grouped: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for position, record in enumerate(history):
        epoch = epoch_of(record, position)
        for name, value in record.items():
            family = curve_family(name)
            if family is not None:
                grouped.setdefault(family, {}).setdefault(name, []).append((epoch, value))
    return {family: grouped[family] for family in CURVE_FAMILIES if family in grouped}


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """The numbers of a nested JSON object under slash-joined names; other values dropped."""
    flat: dict[str, float] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{name}/")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat
