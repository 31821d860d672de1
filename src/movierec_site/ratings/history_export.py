"""One account's ratings as a CSV file to download: to keep, or to take to another site.

movie_id,title,year,imdb_id,stars,date_rated: the film as the rating records it (the model
served when it was last changed knew it so), its IMDb id as tt0114709 where the release links
one, and the UTC day it was last changed. A rating of a film the served model lacks
(`remapping`) has no movie id of this model: its movie_id is left empty.
"""

import csv
import io

from movierec_site.accounts.models import User
from movierec_site.ratings.models import Rating

COLUMNS = ["movie_id", "title", "year", "imdb_id", "stars", "date_rated"]


def rating_history_csv(*, user: User) -> str:
    """Every rating of `user`, most recently changed first, as CSV text."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rating in Rating.objects.filter(user=user).order_by("-updated", "-id"):
        writer.writerow([
            "" if rating.unmapped else rating.movie_id,
            rating.title,
            rating.year or "",
            f"tt{rating.imdb_id:07d}" if rating.imdb_id is not None else "",
            f"{rating.stars:g}",
            rating.updated.date().isoformat(),
        ])
    return stream.getvalue()


def rating_history_filename(*, user: User) -> str:
    return f"movierec-ratings-{user.pk}.csv"
