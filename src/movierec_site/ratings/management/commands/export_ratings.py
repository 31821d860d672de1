"""`manage.py export_ratings OUT.csv`: the site's ratings in the layout training reads.

Retraining on the dataset plus these ratings lets the next model learn from the site's own
users. Site accounts get user ids above every dataset id (`--user-id-offset`), so they can
never be mistaken for a dataset user.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from movierec.atomic import atomic_file
from movierec_site.ratings.selectors import rating_export_rows

DEFAULT_OFFSET = 10_000_000


class Command(BaseCommand):
    help = "Write the site's ratings as user,movie,rating,timestamp CSV for retraining."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the CSV file to write")
        parser.add_argument(
            "--user-id-offset",
            type=int,
            default=DEFAULT_OFFSET,
            help=f"added to account ids to form user ids (default {DEFAULT_OFFSET:,})",
        )

    def handle(self, *args: object, out: Path, user_id_offset: int, **options: object) -> None:
        count = 0
        # atomic_file: a failure part-way (a full disk, Ctrl-C) leaves no partial file behind.
        with atomic_file(out) as staging, staging.open("w", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["user", "movie", "rating", "timestamp"])
            for user, movie, stars, when in rating_export_rows():
                writer.writerow([user + user_id_offset, movie, f"{stars:g}", int(when.timestamp())])
                count += 1
        self.stdout.write(f"wrote {count} ratings to {out}")
