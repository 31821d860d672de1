"""`movierec models`: the published versions, newest first, and which one is live."""

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from movierec import paths
from movierec.cli.publish import link_option
from movierec.cli.text_table import text_table
from movierec.cli.user_errors import UserErrorCommand
from movierec.versions import Version, list_versions, live_target, versions_dir


@click.command(cls=UserErrorCommand)
@link_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def models(link: Path | None, as_json: bool) -> None:
    """List the published versions, the most recently published first; * marks the live one.

    Each shows its dataset, training preset, when it was trained and first published, and the
    quality gate's figures when a retrain recorded them. `movierec rollback [VERSION]` makes
    another one live; `movierec publish --keep N` sets how many are kept.
    """
    link = (link or paths.published_model()).absolute()
    versions = list_versions(link)
    live = live_target(link)
    if as_json:
        document = {
            "link": str(link),
            "live": str(live) if live else None,
            "versions": [_version_document(version) for version in versions],
        }
        click.echo(json.dumps(document, indent=1))
        return
    if versions:
        click.echo(text_table(
            ["live", "version", "dataset", "preset", "trained (UTC)", "published (UTC)", "gate"],
            [_version_row(version) for version in versions],
        ))
    else:
        click.echo(f"no published versions in {versions_dir(link)}")
    if live is None:
        click.echo(f"nothing is live at {link}; publish a model with `movierec publish RUN_DIR`")
    elif not any(version.live for version in versions):
        click.echo(f"live: {live}, which is not one of the versions")


def _version_row(version: Version) -> list[str]:
    return [
        "*" if version.live else "",
        version.name,
        version.dataset or "-",
        version.preset or "-",
        _minutes(version.created) if version.created else "-",
        _minutes(version.published),
        version.gate_text or "-",
    ]


def _minutes(moment: datetime) -> str:
    """A time in UTC as `YYYY-MM-DD HH:MM`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _version_document(version: Version) -> dict[str, object]:
    return {
        "name": version.name,
        "path": str(version.path),
        "live": version.live,
        "dataset": version.dataset,
        "preset": version.preset,
        "created": version.created.isoformat() if version.created else None,
        "published": version.published.isoformat(),
        "gate": version.gate,
    }
