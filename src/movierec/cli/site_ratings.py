"""What `movierec publish` can tell of the web site's ratings without Django: how many, in the
site's default SQLite database, were given on another dataset (see `manage.py publish_model`)."""

import sqlite3
from contextlib import closing
from pathlib import Path

SITE_DATABASE = "site.sqlite3"
"""The site's database in $MOVIEREC_HOME unless its DATABASE_URL names another."""


def other_dataset_rating_count(database: Path, dataset: str) -> int:
    """Ratings in use in the site database `database` given on a dataset other than `dataset`;
    0 when there is no such database, or it does not record datasets yet."""
    if not database.is_file():
        return 0
    query = (
        "SELECT COUNT(*) FROM ratings_rating WHERE unmapped = 0 AND dataset != '' AND dataset != ?"
    )
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as connection:
            (count,) = connection.execute(query, (dataset,)).fetchone()
    except sqlite3.Error:
        return 0
    return int(count)
