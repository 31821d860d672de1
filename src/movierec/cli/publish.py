"""`movierec publish RUN_DIR`: make a trained model the one the web site and the CLI serve.

The model is copied first, file by file as its manifest lists them, into a version folder beside
the link (`models/versions/<name>-<manifest sha>`), written under a staging name and renamed
into place when whole. The site serves that copy, never the run folder: a resumed or retrained
run rewrites its own files (the log and the curves in place, the manifest removed), and none of
that may reach what is served. Copies, not hard links, for that reason: a hard link shares the
file, so an in-place rewrite in the run would change the published model too.

The copy is checked before it is linked: its files against the manifest's checksums, then its
tables by loading it as the engine would. A broken model is refused and the published one stays.
Then the `current` symlink is repointed in one step (a new link renamed over the old), so a
reader sees the old model or the new one, never neither; running sites notice within a second
and swap. The last few versions are kept (`movierec.versions`: `--keep N`, else
$MOVIEREC_KEEP_VERSIONS, else 5; never the live one), so `movierec rollback` can make an earlier
one live again.
No torch: publishing works where only the serving dependencies are installed.
"""

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import click

from movierec import paths
from movierec.artifacts import MANIFEST, ArtifactError, read_artifact
from movierec.atomic import atomic_file, atomic_folder
from movierec.cli.site_ratings import SITE_DATABASE, other_dataset_rating_count
from movierec.cli.user_errors import UserErrorCommand
from movierec.engine import Recommender
from movierec.errors import MovieRecError, UsageError
from movierec.versions import VersionError, keep_count, mark_published, prune, versions_dir

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def find_artifact(run_dir: Path) -> Path:
    """The artifact folder of a run: the folder itself, or its one subfolder holding a model."""
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: no such folder; give the folder of a trained run")
    if (run_dir / MANIFEST).is_file():
        return run_dir
    found = sorted(child for child in run_dir.iterdir() if (child / MANIFEST).is_file())
    if len(found) == 1:
        return found[0]
    if not found:
        raise ArtifactError(f"{run_dir}: holds no model artifact (no {MANIFEST} in it or below)")
    names = ", ".join(child.name for child in found)
    raise UsageError(f"{run_dir}: holds several models ({names}); give the one to publish")


def check_model(artifact_dir: Path) -> Recommender:
    """Load the model as the site will; ArtifactError saying what is wrong with it."""
    engine = Recommender(read_artifact(artifact_dir))
    if engine.catalogue_size == 0:
        raise ArtifactError(f"{artifact_dir}: the model has no movies")
    engine.similar_movies(engine.most_rated(1)[0].movie_id, n=1)
    return engine


def publish_copy(artifact_dir: Path, versions: Path) -> tuple[Path, Recommender]:
    """The checked version folder in `versions` holding a copy of `artifact_dir`, and its engine.

    A folder already in `versions` is itself the version (publishing an older one again); an
    identical copy made earlier is reused; anything else is copied anew.
    """
    if artifact_dir.parent == versions.resolve():
        return artifact_dir, check_model(artifact_dir)
    manifest = _manifest_bytes(artifact_dir)
    digest = hashlib.sha256(manifest).hexdigest()[:12]
    version = versions / f"{artifact_dir.name}-{digest}"
    if version.is_dir():
        try:
            return version, check_model(version)
        except MovieRecError:
            pass  # a damaged earlier copy: replaced below by a fresh one
    with atomic_folder(version) as staging:
        for name in _listed_files(artifact_dir, manifest):
            shutil.copyfile(artifact_dir / name, staging / name)
            os.chmod(staging / name, READ_ONLY)
        # The manifest read once, above, so the copy is checked against the very list it copied.
        (staging / MANIFEST).write_bytes(manifest)
        os.chmod(staging / MANIFEST, READ_ONLY)
        engine = check_model(staging)
    return version, engine


def _manifest_bytes(artifact_dir: Path) -> bytes:
    try:
        return (artifact_dir / MANIFEST).read_bytes()
    except OSError as error:
        raise ArtifactError(f"{artifact_dir}: cannot read its {MANIFEST} ({error})") from None


def _listed_files(artifact_dir: Path, manifest: bytes) -> list[str]:
    """The manifest's file names, each a plain name inside the folder, and each present."""
    try:
        files = json.loads(manifest).get("files")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        files = None
    if not isinstance(files, dict):
        raise ArtifactError(f"{artifact_dir / MANIFEST}: unreadable, or it lists no files")
    for name in files:
        if Path(name).name != name or name in (".", "..", MANIFEST):
            raise ArtifactError(f"{artifact_dir / MANIFEST}: lists {name!r}, not a file of it")
        if not (artifact_dir / name).is_file():
            raise ArtifactError(f"{artifact_dir}: {name} is missing; the artifact is incomplete")
    return list(files)


def refuse_real_folder(link: Path) -> None:
    """UsageError when `link` is a real folder: publishing never overwrites one."""
    if link.exists() and not link.is_symlink():
        raise UsageError(f"{link} is a real folder, not a link; move it aside, then publish again")


def repoint(link: Path, target: Path) -> Path | None:
    """Point `link` at `target` atomically; returns what it pointed at before, if anything."""
    refuse_real_folder(link)
    previous = Path(os.readlink(link)) if link.is_symlink() else None
    with atomic_file(link) as staging:
        os.symlink(target, staging)
    return previous


link_option = click.option(
    "--link",
    type=click.Path(path_type=Path),
    default=None,
    help="The published model's link; default $MOVIEREC_MODEL, else "
    "$MOVIEREC_HOME/models/current. The versions are kept in the folder `versions` beside it.",
)
"""The `--link` option of every command that publishes or reads the published versions."""
keep_option = click.option(
    "--keep",
    type=int,
    default=None,
    help="Versions to keep afterwards, the live one included; older ones are removed. "
    "Default $MOVIEREC_KEEP_VERSIONS, else 5.",
)
"""The `--keep` option of every command that changes the live version."""


@click.command(cls=UserErrorCommand)
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@link_option
@keep_option
def publish(run_dir: Path, link: Path | None, keep: int | None) -> None:
    """Copy the model in RUN_DIR beside the link, check the copy, and make it the published one.

    Running web sites switch to it within a second, without a restart; a model that fails the
    check is refused and the published one stays. Later changes to RUN_DIR (a resumed run) do
    not reach the published copy. The last versions are kept in `versions` (see --keep):
    `movierec models` lists them, `movierec rollback` goes back to one. A site with
    accounts publishes with `python manage.py publish_model RUN_DIR` instead, which first checks
    its ratings against the new model's films.
    """
    for line in publish_run(run_dir, link, keep=keep, before_switch=warn_of_site_ratings):
        click.echo(line)


def publish_run(
    run_dir: Path,
    link: Path | None = None,
    *,
    keep: int | None = None,
    before_switch: Callable[[Recommender], None] | None = None,
) -> list[str]:
    """Publish the model in `run_dir` at `link` (default `paths.published_model()`); the lines
    to report. Then all but the last `keep` versions are removed (`versions.keep_count` says
    how many when `keep` is None).

    `before_switch` is given the checked copy's engine before the link moves; what it raises
    stops the publishing with the current model unchanged (the web site checks its ratings there).
    """
    link = (link or paths.published_model()).absolute()
    refuse_real_folder(link)
    keep = keep_count(keep)  # a wrong setting is refused before anything moves
    try:
        artifact_dir = find_artifact(run_dir.resolve())
        version, engine = publish_copy(artifact_dir, versions_dir(link))
    except MovieRecError as error:
        raise type(error)(f"{error}\nNot published; the current model is unchanged.") from None
    if before_switch is not None:
        before_switch(engine)
    previous = repoint(link, version)
    lines = [
        f"published {artifact_dir} as {version} ({engine.catalogue_size} movies, "
        f"{engine.user_count} users) at {link}"
    ]
    if previous is not None and previous != version:
        lines.append(f"previously: {previous}")
    return lines + settle_versions(link, keep, published=version)


def settle_versions(link: Path, keep: int, *, published: Path | None = None) -> list[str]:
    """Once the link has moved: note when `published` was first published, and remove all but
    the last `keep` versions; the lines to report.

    A failure here is reported, not raised: the model is live already, and `manage.py
    publish_model` commits the site's ratings only when publishing returns.
    """
    try:
        if published is not None:
            mark_published(published)
        removed = prune(link, keep)
    except VersionError as error:
        return [f"warning: {error}"]
    return [f"removed the old version {folder.name}" for folder in removed]


def warn_of_site_ratings(engine: Recommender) -> None:
    """Warn on stderr when the site's database holds ratings of another dataset than the model's."""
    database = paths.home() / SITE_DATABASE
    count = other_dataset_rating_count(database, engine.dataset)
    if count:
        click.echo(
            f"warning: {database} holds {count} ratings given on another dataset than this "
            f"model's ({engine.dataset or 'unnamed'}), where the same ids name other films; "
            "publish with `python manage.py publish_model RUN_DIR` to check and map them",
            err=True,
        )
