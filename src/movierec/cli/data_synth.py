"""`movierec data synth`: synthetic releases with planted structure, in any release's layout."""

from pathlib import Path

import click

from movierec.atomic import check_replaceable
from movierec.data.releases import RELEASES, get_release
from movierec.data.synth import is_synthetic_release, synthesize


@click.command()
@click.option("--like", "like", type=click.Choice(list(RELEASES)), default="ml-1m",
              show_default=True, help="The release whose layout and rating scale to copy.")
@click.option("--users", type=int, default=6040, show_default=True)
@click.option("--movies", type=int, default=3706, show_default=True)
@click.option("--ratings", type=int, default=1_000_209, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--duplicates", type=click.IntRange(min=0), default=0, show_default=True,
              help="Films to list twice under two ids, as ML-100K does (Chasing Amy: 246, 268).")
@click.option("--unknown", type=click.IntRange(min=0), default=0, show_default=True,
              help='Movies to title "unknown" with no year, as ML-100K does (movie 267).')
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the release files into; an earlier synthetic release "
              "there is replaced, any other non-empty folder refused.")
@click.option("--force", is_flag=True,
              help="Replace --out even when it holds something else (all of it is deleted).")
def synth(like: str, users: int, movies: int, ratings: int, seed: int, duplicates: int,
          unknown: int, out: Path, force: bool) -> None:
    """Write a synthetic release with latent tastes, genre preference and popularity skew.

    Use it to try the whole pipeline without downloading anything:
    `movierec data synth --like ml-1m --out DIR` then `movierec data fetch ml-1m --from DIR`.
    """
    out = check_replaceable(out, is_synthetic_release, command="movierec data synth",
                            force=force)
    planted = synthesize(get_release(like), out, users=users, movies=movies, ratings=ratings,
                         seed=seed, duplicates=duplicates, unknown=unknown)
    click.echo(f"wrote a synthetic {like} ({users:,} users, {movies:,} movies, {ratings:,} "
               f"ratings) to {out}")
    if planted.aliases:
        shown = ", ".join(f"{alias} = {kept}" for alias, kept in planted.aliases.items())
        click.echo(f"  listed twice: {shown}")
    if planted.unknown_ids:
        click.echo(f"  titled unknown: {', '.join(map(str, planted.unknown_ids))}")
