"""`movierec data prepare NAME`: a fetched release -> the seed's features, with vocabularies."""

from pathlib import Path

import click

from movierec import paths
from movierec.atomic import check_replaceable
from movierec.data.features import Features, is_prepared_folder, save_features
from movierec.data.features import prepare as compute_features
from movierec.data.fetch import is_fetched, source_checksum
from movierec.data.load import load_folder
from movierec.data.releases import get_release
from movierec.errors import DataError


@click.command()
@click.argument("name")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write (default: $MOVIEREC_HOME/prepared/NAME); an earlier "
              "prepared folder there is replaced, any other non-empty folder refused.")
@click.option("--force", is_flag=True,
              help="Replace --out even when it holds something else (all of it is deleted).")
def prepare(name: str, out: Path | None, force: bool) -> None:
    """Turn the fetched release NAME into the seed network's features.

    Films the release lists under two ids (same title and year) are merged into the smaller id;
    a user's repeated ratings of one film are reduced to the latest; movies titled "unknown" are
    kept for training but never listed. Writes ratings, movies and users (parquet), the feature
    arrays (.npy) and their vocabularies (JSON) with a manifest, then prints the counts.
    """
    release = get_release(name)
    destination = check_replaceable(out or paths.prepared_dir(name), is_prepared_folder,
                                    command="movierec data prepare", force=force)
    if not is_fetched(name):
        raise DataError(
            f"{name} has not been fetched; run `movierec data fetch {name}` "
            f"(or `movierec data fetch {name} --from PATH` offline) first"
        )
    click.echo(f"loading {name} from {paths.raw_dir(name)} ...", err=True)
    dataset = load_folder(paths.raw_dir(name), release)
    features = compute_features(dataset, source_checksum=source_checksum(name))
    features = save_features(features, destination)
    counts = features.manifest["counts"]
    click.echo(f"prepared {name} in {destination}")
    click.echo(
        f"  {counts['ratings']:,} ratings, {counts['users']:,} users, "
        f"{counts['movies']:,} movies ({counts['rated_movies']:,} rated)"
    )
    click.echo(
        f"  {counts['genres']} genres, {counts['title_words_seed']:,} title words "
        f"(seed tokens), {counts['title_words']:,} normalised; demographics: "
        f"{'yes' if features.has_demographics else 'none in this release'}"
    )
    for line in _merge_report(features):
        click.echo(f"  {line}")


def _merge_report(features: Features, examples: int = 3) -> list[str]:
    """What merging duplicates did, in a few lines."""
    counts = features.manifest["counts"]
    lines = ["no movie is listed twice"]
    if counts["merged_ids"]:
        titles = dict(zip(features.movies["movie_id"], features.movies["title"], strict=True))
        shown = ", ".join(f"{alias} -> {kept} {titles[kept]}"
                          for alias, kept in features.movie_aliases[:examples].tolist())
        more = ", ..." if len(features.movie_aliases) > examples else ""
        lines = [
            f"merged {counts['merged_ids']} duplicate movie id(s) into the first id of "
            f"{counts['merged_films']} film(s) listed more than once: {shown}{more}",
            f"moved {counts['ratings_moved']:,} rating(s) to the kept ids",
        ]
    if counts["double_ratings"]:
        lines.append(f"dropped {counts['double_ratings']:,} double rating(s) of one user and "
                     "film (the later one is kept)")
    if counts["unlisted_movies"]:
        lines.append(f"{counts['unlisted_movies']} movie(s) titled \"unknown\" or untitled: "
                     "kept for training, left out of every list")
    return lines
