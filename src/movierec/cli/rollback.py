"""`movierec rollback [VERSION]`: make an earlier published version live again.

The version is checked as `movierec publish` checks a copy (its files against the manifest,
then loaded as the engine loads it) before the link moves, and the link is repointed the same
way, in one step: running sites switch within a second, and a version that fails the check
leaves the live one serving. Without VERSION it goes one step back in the order the versions
were first published, so rolling back twice goes two versions back.
No torch, as for publish.
"""

from collections.abc import Callable
from pathlib import Path

import click

from movierec import paths
from movierec.cli.publish import (
    check_model,
    keep_option,
    link_option,
    refuse_real_folder,
    repoint,
    settle_versions,
    warn_of_site_ratings,
)
from movierec.cli.user_errors import UserErrorCommand
from movierec.engine import Recommender
from movierec.errors import MovieRecError
from movierec.versions import find_version, keep_count, previous_version


@click.command(cls=UserErrorCommand)
@click.argument("version", required=False)
@link_option
@keep_option
def rollback(version: str | None, link: Path | None, keep: int | None) -> None:
    """Make VERSION live (a name from `movierec models`, or the start of one); without VERSION,
    the version published before the live one.

    Running web sites switch to it within a second; a version that fails the check is refused
    and the live one stays.
    """
    for line in rollback_to(version, link, keep=keep, before_switch=warn_of_site_ratings):
        click.echo(line)


def rollback_to(
    version: str | None,
    link: Path | None = None,
    *,
    keep: int | None = None,
    before_switch: Callable[[Recommender], None] | None = None,
) -> list[str]:
    """Make the version named `version` (default: the one published before the live one) live at
    `link` (default `paths.published_model()`); the lines to report.

    `before_switch` is given the checked version's engine before the link moves, as in
    `publish_run`.
    """
    link = (link or paths.published_model()).absolute()
    refuse_real_folder(link)
    keep = keep_count(keep)
    target = find_version(link, version) if version else previous_version(link)
    if target.live:
        return [f"{target.name} is already live at {link}; nothing changed"]
    try:
        engine = check_model(target.path)
    except MovieRecError as error:
        raise type(error)(f"{error}\nNot rolled back; the live model is unchanged.") from None
    if before_switch is not None:
        before_switch(engine)
    previous = repoint(link, target.path)
    lines = [
        f"live: {target.name} ({target.dataset or 'unnamed dataset'}, "
        f"{engine.catalogue_size} movies, {engine.user_count} users) at {link}",
        f"previously: {previous.name if previous else 'nothing'}",
    ]
    return lines + settle_versions(link, keep)
