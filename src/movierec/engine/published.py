"""Where the published model is: the one the CLI and the web serve when not told otherwise."""

from pathlib import Path

from movierec import paths
from movierec.engine.errors import NoPublishedModel


def published_model_dir() -> Path:
    """`paths.published_model()`, a folder or a symlink to one; NoPublishedModel if absent."""
    current = paths.published_model()
    if not current.exists():
        raise NoPublishedModel(
            "no published model: train one with `movierec train` or pass --model DIR "
            f"(looked for {current})"
        )
    return current
