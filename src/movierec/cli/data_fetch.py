"""`movierec data fetch NAME`: download, verify and unpack a MovieLens release."""

import click

from movierec.data.fetch import SOURCE_FILE, Source, fetch_release, is_fetched, read_source
from movierec.data.releases import get_release
from movierec.paths import raw_dir


@click.command()
@click.argument("name")
@click.option(
    "--from", "source", metavar="PATH_OR_URL",
    help="Install from a local zip, a folder, a file:// URL or an http(s) URL of the zip "
    "instead of downloading from GroupLens (for machines without internet).",
)
@click.option("--force", is_flag=True, help="Fetch again even if the release is already there.")
def fetch(name: str, source: str | None, force: bool) -> None:
    """Download, verify and unpack MovieLens release NAME (e.g. ml-1m) into $MOVIEREC_HOME/raw."""
    get_release(name)  # an unknown name fails here, before anything touches the disk
    if is_fetched(name) and not force:
        click.echo(f"{name} is already fetched in {raw_dir(name)} (use --force to fetch it again)")
        return
    folder = fetch_release(name, source, force=force)
    record = read_source(name)
    files = [path for path in folder.rglob("*") if path.is_file() and path.name != SOURCE_FILE]
    size_mb = sum(path.stat().st_size for path in files) / 1e6
    click.echo(f"fetched {name} into {folder}")
    click.echo(
        f"{len(files)} files, {size_mb:.1f} MB from {record.origin}; "
        f"sha256 {record.sha256[:12]}… ({_provenance(record)})"
    )


def _provenance(record: Source) -> str:
    if record.verified:
        return "verified against the official checksums"
    if record.kind == "folder":
        return "your own folder, copied as given"
    if get_release(record.release).sha256 or get_release(record.release).md5:
        return "not the official archive: installed as your own copy, unverified"
    if record.origin.startswith(("http://", "https://")):
        return ("unverified: no official checksum is known for this release, only the .md5 "
                "served beside the download matched")
    return "no official checksum known for this release"
