"""The published versions: the read-only model copies `movierec publish` keeps beside the link.

Each version is a folder `versions/<run>-<manifest sha>` that is never changed once written; the
`current` link points at one of them, the live one. What a copy cannot say about itself (when
it was first published, the quality gate's figures when a retrain recorded them) is kept in a
small record, `versions/records/<name>.json`, outside the checksummed copy, so recording never
touches what is served. The records live in their own folder because a file beside a version
named after it would look like one of its staging leftovers to `atomic.remove_stale`.

Only the last N versions are kept (N from `--keep`, else `$MOVIEREC_KEEP_VERSIONS`, else 5);
the live one is never removed. No torch and no engine: the web admin reads this too.
"""

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from movierec.artifacts import MANIFEST
from movierec.atomic import atomic_file, remove_folder
from movierec.errors import MovieRecError, UsageError

VERSIONS = "versions"
"""The folder beside the link that holds the published copies."""
RECORDS = "records"
"""The folder inside VERSIONS with one record per version."""
KEEP = 5
"""Versions kept by default: enough to roll back a few retrains, small enough to forget."""
KEEP_VARIABLE = "MOVIEREC_KEEP_VERSIONS"
"""The environment variable that sets how many versions to keep where `--keep` is not given."""


class VersionError(MovieRecError):
    """A version's record cannot be written, or an old version cannot be removed."""


@dataclass(frozen=True)
class Version:
    """One published copy, as `movierec models` and the admin show it."""

    path: Path
    dataset: str | None
    """The dataset its manifest names, if any."""
    preset: str | None
    """The training preset, from the manifest or else the model's config."""
    created: datetime | None
    """When the model was trained (its manifest's time), if it says."""
    published: datetime
    """When it was first published: its record's time, else the folder's (older copies)."""
    live: bool
    """Whether the link points at it now."""
    gate: dict[str, float] = field(default_factory=dict)
    """The quality gate's figures recorded for it (rmse, ndcg@10, ...); empty when none."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def gate_text(self) -> str:
        """The gate figures on one line (`rmse 0.871, ndcg@10 0.312`); empty when none."""
        return ", ".join(f"{name} {value:.4g}" for name, value in self.gate.items())


def versions_dir(link: Path) -> Path:
    """The folder holding the versions of the model published at `link`."""
    return Path(os.path.abspath(link)).parent / VERSIONS


def live_target(link: Path) -> Path | None:
    """The folder `link` serves now (resolved), or None when nothing is published there."""
    target = Path(os.path.realpath(link))
    return target if (target / MANIFEST).is_file() else None


def list_versions(link: Path) -> list[Version]:
    """Every version beside `link`, the most recently first published first."""
    folder = versions_dir(link)
    if not folder.is_dir():
        return []
    live = live_target(link)
    found = [
        _read_version(child, live=child.resolve() == live)
        for child in folder.iterdir()
        # Dot names are staging folders of a copy or a removal under way.
        if not child.name.startswith(".") and (child / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda version: (version.published, version.name), reverse=True)


def find_version(link: Path, name: str) -> Version:
    """The version called `name`, or the only one whose name starts with it; UsageError listing
    the versions otherwise."""
    versions = list_versions(link)
    names = [version.name for version in versions]
    if not versions:
        raise UsageError(f"no published versions in {versions_dir(link)}; publish a model first "
                         "with `movierec publish RUN_DIR`")
    exact = [version for version in versions if version.name == name]
    matching = exact or [version for version in versions if version.name.startswith(name)]
    if len(matching) == 1:
        return matching[0]
    if matching:
        choices = ", ".join(version.name for version in matching)
        raise UsageError(f"{name!r} begins several versions ({choices}); give more of the name")
    raise UsageError(f"no version {name!r} in {versions_dir(link)}; the versions are: "
                     f"{', '.join(names)} (`movierec models` lists them)")


def previous_version(link: Path) -> Version:
    """The version first published just before the live one; UsageError when there is none."""
    versions = list_versions(link)
    live = [position for position, version in enumerate(versions) if version.live]
    if not live:
        target = live_target(link)
        described = f"the live model {target} is not" if target else "nothing published is"
        names = ", ".join(version.name for version in versions) or "none"
        raise UsageError(f"{described} one of the versions in {versions_dir(link)}; name the one "
                         f"to make live (the versions: {names})")
    if live[0] + 1 == len(versions):
        raise UsageError(f"no version was published before the live one, {versions[live[0]].name}"
                         "; `movierec models` lists the versions, name one to make it live")
    return versions[live[0] + 1]


def mark_published(version: Path) -> None:
    """Record now as when `version` was first published, unless an earlier time is recorded."""
    record = _read_record(version)
    if "published" not in record:
        _write_record(version, record | {"published": datetime.now(UTC).isoformat()})


def record_gate(version: Path, figures: Mapping[str, float]) -> None:
    """Record the quality gate's figures for `version` (e.g. {"rmse": 0.87, "ndcg@10": 0.31}),
    replacing any recorded before; `movierec models` and the admin show them."""
    if not all(isinstance(value, int | float) and math.isfinite(value)
               for value in figures.values()):
        raise ValueError(f"gate figures must be finite numbers, got {dict(figures)!r}")
    if not (version / MANIFEST).is_file():
        raise VersionError(f"{version}: not a published version; publish it before recording "
                           "its gate figures")
    _write_record(version, _read_record(version) | {"gate": dict(figures)})


def keep_count(keep: int | None = None) -> int:
    """How many versions to keep: `keep` when given, else $MOVIEREC_KEEP_VERSIONS, else KEEP."""
    if keep is None:
        configured = os.environ.get(KEEP_VARIABLE, "").strip()
        if not configured:
            return KEEP
        source = f"{KEEP_VARIABLE}={configured}"
        keep = int(configured) if configured.isdigit() else 0
    else:
        source = f"--keep {keep}"
    if keep < 1:
        raise UsageError(f"{source}: the versions to keep must be a whole number of at least 1 "
                         "(the live one counts); set it to 5, say")
    return keep


def prune(link: Path, keep: int | None = None) -> list[Path]:
    """Remove all but the `keep_count(keep)` most recently published versions beside `link`,
    never the live one (it counts among them); returns the removed folders."""
    count = keep_count(keep)
    versions = list_versions(link)
    others = [version.path for version in versions if not version.live]
    live = len(versions) - len(others)
    removed = others[max(count - live, 0):]
    for folder in removed:
        try:
            remove_folder(folder)
            _record_path(folder).unlink(missing_ok=True)
        except OSError as error:
            raise VersionError(f"{folder}: cannot remove this old version ({error}); remove it "
                               "by hand, or give --keep a larger number") from None
    return removed


def _read_version(folder: Path, *, live: bool) -> Version:
    manifest = _read_json(folder / MANIFEST)
    preset = manifest.get("preset") or _read_json(folder / "config.json").get("preset")
    record = _read_record(folder)
    # Copies made before records existed: the folder was written when first published.
    published = _time(record.get("published")) or datetime.fromtimestamp(
        folder.stat().st_mtime, UTC)
    gate = record.get("gate")
    return Version(
        path=folder,
        dataset=manifest.get("dataset") or None,
        preset=preset if isinstance(preset, str) else None,
        created=_time(manifest.get("created")),
        published=published,
        live=live,
        gate=gate if isinstance(gate, dict) else {},
    )


def _time(stamp: object) -> datetime | None:
    """An ISO time as written here and by training (with its zone), or None."""
    try:
        return datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        return None


def _record_path(version: Path) -> Path:
    return version.parent / RECORDS / f"{version.name}.json"


def _read_record(version: Path) -> dict[str, Any]:
    return _read_json(_record_path(version))


def _write_record(version: Path, record: dict[str, Any]) -> None:
    try:
        with atomic_file(_record_path(version)) as staging:
            staging.write_text(json.dumps(record, indent=1) + "\n")
    except OSError as error:
        raise VersionError(f"{_record_path(version)}: cannot write this record ({error})") from None


def _read_json(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; empty when it is missing or unreadable, so one damaged file
    never hides the other versions."""
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}
