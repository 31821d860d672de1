"""Writing the site's ratings and accounts as the CSVs retraining reads (`movierec retrain
--ratings FILE --users FILE`). Each file is written whole or not at all (`atomic_file`)."""

import csv
from pathlib import Path

from movierec.atomic import atomic_file
from movierec.site_accounts import SITE_USER_OFFSET
from movierec_site.accounts.models import User
from movierec_site.ratings import selectors


def ratings_csv_write(*, out: Path, user_id_offset: int = SITE_USER_OFFSET) -> int:
    """Every rating as user,movie,rating,timestamp (the user: offset + account id, the time:
    the rating's last change); returns the number written."""
    count = 0
    with atomic_file(out) as staging, staging.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["user", "movie", "rating", "timestamp"])
        for user, movie, stars, when in selectors.rating_export_rows():
            writer.writerow([user + user_id_offset, movie, f"{stars:g}", int(when.timestamp())])
            count += 1
    return count


def accounts_csv_write(*, out: Path, user_id_offset: int = SITE_USER_OFFSET) -> int:
    """The accounts that gave any of gender, age group, occupation, as
    user,gender,age,occupation in ML-1M's codes, empty where not given; returns the number."""
    given = (User.objects.exclude(gender="", age_group=None, occupation=None)
             .order_by("id").values_list("id", "gender", "age_group", "occupation"))
    count = 0
    with atomic_file(out) as staging, staging.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["user", "gender", "age", "occupation"])
        for account, gender, age, occupation in given.iterator(chunk_size=10_000):
            writer.writerow([account + user_id_offset, gender,
                             "" if age is None else age, "" if occupation is None else occupation])
            count += 1
    return count
