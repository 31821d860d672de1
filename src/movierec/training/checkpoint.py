"""Checkpoints: plain dicts of tensors and numbers, written with `torch.save` and read back with
`torch.load(weights_only=True)`, which cannot run code from the file."""

import io
import pickle
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from movierec.atomic import atomic_file
from movierec.errors import UsageError

if TYPE_CHECKING:
    from movierec.training.workers import Workers

FORMAT = "movierec-checkpoint"
FORMAT_VERSION = 2
CHECKPOINT = "checkpoint.pt"


def save_checkpoint(path: Path, payload: dict[str, Any]) -> None:
    """Write `payload` to `path` atomically: a reader sees the old file or the new one."""
    with atomic_file(path) as staging:
        torch.save({"format": FORMAT, "format_version": FORMAT_VERSION, **payload}, staging)


def load_checkpoint(path: Path, workers: "Workers | None" = None) -> dict[str, Any]:
    """The payload saved at `path`; UsageError when it is absent, damaged or foreign. With
    `workers`, worker 0 reads the file (on a cluster only its machine has the run folder) and
    sends its bytes to the others; every worker must call it."""
    path = Path(path)
    if workers is not None and workers.joined:
        shared = workers.share_bytes(lambda: checked_checkpoint(path).read_bytes())
        return _payload(io.BytesIO(shared), path)
    return _payload(checked_checkpoint(path), path)


def checked_checkpoint(path: Path) -> Path:
    """`path`, once it is known to be a file torch could have written (UsageError else)."""
    if not path.is_file():
        raise UsageError(f"{path}: no checkpoint to resume from; start the run without --resume")
    # torch.save writes a zip; anything else would reach torch's legacy reader, whose errors on a
    # foreign file (KeyError, IndexError) say nothing.
    if not zipfile.is_zipfile(path):
        raise UsageError(f"{path}: not a movierec checkpoint; start the run again without --resume")
    return path


def _payload(source: Path | io.BytesIO, path: Path) -> dict[str, Any]:
    try:
        payload = torch.load(source, map_location="cpu", weights_only=True)
    except (RuntimeError, pickle.UnpicklingError, EOFError, OSError) as error:
        raise UsageError(
            f"{path}: unreadable checkpoint ({str(error).splitlines()[0]}); start the run "
            "again without --resume"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise UsageError(f"{path}: not a movierec checkpoint")
    if payload.get("format_version") != FORMAT_VERSION:
        raise UsageError(f"{path}: checkpoint from another movierec version; start again")
    return payload
