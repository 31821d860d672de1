"""Reading ratings."""

from collections.abc import Iterator
from datetime import datetime

from movierec.engine import RatingScale
from movierec_site.accounts.models import User
from movierec_site.ratings.models import Rating
from movierec_site.serving.engine import current_engine


def rating_list(*, user: User) -> list[Rating]:
    """The user's ratings of films the served model's ids name, most recently changed first."""
    return list(Rating.objects.filter(user=user, unmapped=False).order_by("-updated", "-id"))


def rating_unmapped_list(*, user: User) -> list[Rating]:
    """The user's ratings of films a published model of another dataset lacked (see
    `remapping`): kept with their title and year, never used for recommending."""
    return list(Rating.objects.filter(user=user, unmapped=True).order_by("title", "year"))


def rating_get(*, user: User, movie_id: int) -> Rating | None:
    return Rating.objects.filter(user=user, movie_id=movie_id).first()


def rating_stars_map(*, user: User, movie_ids: list[int] | None = None) -> dict[int, float]:
    """{movie id: stars} of the user's ratings, of `movie_ids` only when given."""
    if not user.is_authenticated:
        return {}
    ratings = Rating.objects.filter(user=user, unmapped=False)
    if movie_ids is not None:
        ratings = ratings.filter(movie_id__in=movie_ids)
    return dict(ratings.values_list("movie_id", "stars"))


def rating_count(*, user: User) -> int:
    return Rating.objects.filter(user=user).count() if user.is_authenticated else 0


def rating_scale_get() -> RatingScale:
    """The stars the served model's release uses: 1-5, or 0.5-5 in half stars."""
    return current_engine().rating_scale


def rating_export_rows() -> Iterator[tuple[int, int, float, datetime]]:
    """(account id, movie id, stars, last change) of every rating of a film of the served
    model's dataset, streamed in id order."""
    rows = (
        Rating.objects.filter(unmapped=False)
        .order_by("id")
        .values_list("user_id", "movie_id", "stars", "updated")
    )
    return rows.iterator(chunk_size=10_000)
