"""Where movierec keeps its files: one data folder, `MOVIEREC_HOME`, with a layout of its own."""

import os
from pathlib import Path


def home() -> Path:
    """The data folder: `$MOVIEREC_HOME`, else `~/.local/share/movierec` (XDG), created on use."""
    configured = os.environ.get("MOVIEREC_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return (base / "movierec").resolve()


def archives_dir() -> Path:
    """Verified release archives (`<name>.zip`) and their partial downloads."""
    return home() / "archives"


def raw_dir(name: str) -> Path:
    """The unpacked files of a fetched release."""
    return home() / "raw" / name


def prepared_dir(name: str) -> Path:
    """The seed features of a release, as written by `movierec data prepare`."""
    return home() / "prepared" / name


def published_model() -> Path:
    """The published model's link: `$MOVIEREC_MODEL`, else `models/current` in the data folder.

    `movierec publish` repoints it; the CLI and the web site serve what it points at.
    """
    configured = os.environ.get("MOVIEREC_MODEL")
    return Path(configured).expanduser() if configured else home() / "models" / "current"


def runs_dir() -> Path:
    """Training runs, one folder each."""
    return home() / "runs"
