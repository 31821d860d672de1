"""`movierec data synth`: synthetic releases with planted structure, in any release's layout."""

from pathlib import Path

import click

from movierec.data.releases import RELEASES, get_release
from movierec.data.synth import synthesize


@click.command()
@click.option("--like", "like", type=click.Choice(list(RELEASES)), default="ml-1m",
              show_default=True, help="The release whose layout and rating scale to copy.")
@click.option("--users", type=int, default=6040, show_default=True)
@click.option("--movies", type=int, default=3706, show_default=True)
@click.option("--ratings", type=int, default=1_000_209, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the release files into (replaced if it exists).")
def synth(like: str, users: int, movies: int, ratings: int, seed: int, out: Path) -> None:
    """Write a synthetic release with latent tastes, genre preference and popularity skew.

    Use it to try the whole pipeline without downloading anything:
    `movierec data synth --like ml-1m --out DIR` then `movierec data fetch ml-1m --from DIR`.
    """
    synthesize(get_release(like), out, users=users, movies=movies, ratings=ratings, seed=seed)
    click.echo(f"wrote a synthetic {like} ({users:,} users, {movies:,} movies, {ratings:,} "
               f"ratings) to {out}")
