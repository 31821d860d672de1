"""Where the published model is: the one the CLI and the web serve when not told otherwise."""

from pathlib import Path

from movierec import paths
from movierec.engine.errors import NoPublishedModel


def published_model_dir() -> Path:
    """`$MOVIEREC_HOME/models/current`, a folder or a symlink to one; NoPublishedModel if absent."""
    current = paths.home() / "models" / "current"
    if not current.exists():
        raise NoPublishedModel(
            "no published model: train one with `movierec train` or pass --model DIR"
        )
    return current
