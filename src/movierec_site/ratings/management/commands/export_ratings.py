"""`manage.py export_ratings OUT.csv [--users USERS.csv]`: the site's ratings (and the accounts'
demographics) in the layout retraining reads.

Retraining on the dataset plus these ratings lets the next model learn from the site's own
users. Site accounts get user ids above every dataset id (`--user-id-offset`), so they can
never be mistaken for a dataset user; `movierec retrain` expects the default offset.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from movierec.site_accounts import SITE_USER_OFFSET
from movierec_site.ratings.exports import accounts_csv_write, ratings_csv_write


class Command(BaseCommand):
    help = "Write the site's ratings as user,movie,rating,timestamp CSV for retraining."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the CSV file to write")
        parser.add_argument(
            "--users",
            type=Path,
            default=None,
            help="also write the accounts' gender, age group and occupation to this CSV "
            "(user,gender,age,occupation; empty where not given)",
        )
        parser.add_argument(
            "--user-id-offset",
            type=int,
            default=SITE_USER_OFFSET,
            help=f"added to account ids to form user ids (default {SITE_USER_OFFSET:,})",
        )

    def handle(self, *args: object, out: Path, users: Path | None, user_id_offset: int,
               **options: object) -> None:
        count = ratings_csv_write(out=out, user_id_offset=user_id_offset)
        self.stdout.write(f"wrote {count} ratings to {out}")
        if users is not None:
            accounts = accounts_csv_write(out=users, user_id_offset=user_id_offset)
            self.stdout.write(f"wrote {accounts} accounts' demographics to {users}")
