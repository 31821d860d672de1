"""`movierec publish RUN_DIR`: make a trained model the one the web site and the CLI serve.

The model is checked first: its files against the manifest's checksums, then its tables by
loading it as the engine would. A broken model is refused and the published one stays. Then the
`current` symlink is repointed in one step (a new link renamed over the old), so a reader sees
the old model or the new one, never neither; running sites notice within a second and swap.
No torch: publishing works where only the serving dependencies are installed.
"""

import os
from pathlib import Path

import click

from movierec import paths
from movierec.artifacts import MANIFEST, ArtifactError, read_artifact
from movierec.cli.user_errors import UserErrorCommand
from movierec.engine import Recommender
from movierec.errors import MovieRecError, UsageError


def default_link() -> Path:
    """Where the published model is linked: $MOVIEREC_MODEL, else $MOVIEREC_HOME/models/current."""
    configured = os.environ.get("MOVIEREC_MODEL")
    return Path(configured) if configured else paths.home() / "models" / "current"


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


def repoint(link: Path, target: Path) -> Path | None:
    """Point `link` at `target` atomically; returns what it pointed at before, if anything."""
    if link.exists() and not link.is_symlink():
        raise UsageError(f"{link} is a real folder, not a link; move it aside, then publish again")
    previous = Path(os.readlink(link)) if link.is_symlink() else None
    link.parent.mkdir(parents=True, exist_ok=True)
    staging = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if staging.is_symlink() or staging.exists():
        staging.unlink()
    os.symlink(target, staging)
    try:
        os.replace(staging, link)
    except OSError:
        staging.unlink(missing_ok=True)
        raise
    return previous


@click.command(cls=UserErrorCommand)
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--link",
    type=click.Path(path_type=Path),
    default=None,
    help="The link to repoint; default $MOVIEREC_MODEL, else $MOVIEREC_HOME/models/current.",
)
def publish(run_dir: Path, link: Path | None) -> None:
    """Check the model in RUN_DIR and make it the published one.

    Running web sites switch to it within a second, without a restart; a model that fails the
    check is refused and the published one stays.
    """
    try:
        artifact_dir = find_artifact(run_dir.resolve())
        engine = check_model(artifact_dir)
    except MovieRecError as error:
        raise type(error)(f"{error}\nNot published; the current model is unchanged.") from None
    link = link or default_link()
    previous = repoint(link, artifact_dir)
    click.echo(
        f"published {artifact_dir} ({engine.catalogue_size} movies, "
        f"{engine.user_count} users) at {link}"
    )
    if previous is not None and previous != artifact_dir:
        click.echo(f"previously: {previous}")
