"""Writing ratings. Stars are checked against the served model's scale, movies against its
catalogue; the write itself is one upsert, so concurrent requests never lose or duplicate one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from movierec.engine import InvalidRequest, Recommender, UnknownMovie
from movierec_site.accounts.models import User
from movierec_site.lists.models import WatchlistEntry
from movierec_site.ratings.models import Rating
from movierec_site.serving.engine import current_engine


class InvalidStars(InvalidRequest):
    """Stars outside the model's rating scale or between its steps."""


def _checked_stars(stars: object) -> float:
    scale = current_engine().rating_scale
    number = stars if isinstance(stars, int | float) and not isinstance(stars, bool) else None
    if number is None or not scale.allows(float(number)):
        step = (_("half stars allowed") if scale.step == 0.5
                else _("in steps of %(step)s") % {"step": f"{scale.step:g}"})
        raise InvalidStars(
            _("stars must be %(low)s to %(high)s (%(step)s), not %(given)s")
            % {"low": f"{scale.low:g}", "high": f"{scale.high:g}", "step": step,
               "given": repr(stars)}
        )
    return float(number)


def checked_movie(movie_id: int) -> int:
    """`movie_id` when the served model has the movie; UnknownMovie otherwise."""
    if not current_engine().knows_movie(movie_id):
        raise UnknownMovie(
            _("no movie with id %(movie_id)s in this model") % {"movie_id": movie_id}
        )
    return movie_id


def film_record(engine: Recommender, movie_id: int) -> dict[str, object]:
    """What a rating of `movie_id` records about its film under `engine`'s model: the dataset,
    title, year and external ids that let a model of another dataset find the same film."""
    movie, external = engine.movie(movie_id), engine.external_ids(movie_id)
    return {
        "dataset": engine.dataset,
        "title": movie.title,
        "year": movie.year,
        "imdb_id": external.imdb_id,
        "tmdb_id": external.tmdb_id,
        "unmapped": False,
    }


def rating_set(*, user: User, movie_id: int, stars: object) -> Rating:
    """Create or change the user's rating of a movie, which leaves the watchlist; UnknownMovie /
    InvalidStars otherwise."""
    value = _checked_stars(stars)
    checked_movie(movie_id)
    now = timezone.now()
    film = film_record(current_engine(), movie_id)
    with transaction.atomic():
        # INSERT ... ON CONFLICT DO UPDATE: atomic on SQLite and PostgreSQL alike.
        Rating.objects.bulk_create(
            [Rating(user=user, movie_id=movie_id, stars=value, created=now, updated=now, **film)],
            update_conflicts=True,
            unique_fields=["user", "movie_id"],
            update_fields=["stars", "updated", *film],
        )
        WatchlistEntry.objects.filter(user=user, movie_id=movie_id).delete()
    return Rating.objects.get(user=user, movie_id=movie_id)


def rating_create(*, user: User, movie_id: int, stars: object) -> Rating | None:
    """Create a rating, which leaves the watchlist; None when the user has already rated the
    movie (nothing is changed)."""
    value = _checked_stars(stars)
    checked_movie(movie_id)
    with transaction.atomic():
        rating, created = Rating.objects.get_or_create(
            user=user,
            movie_id=movie_id,
            defaults={"stars": value, **film_record(current_engine(), movie_id)},
        )
        if created:
            WatchlistEntry.objects.filter(user=user, movie_id=movie_id).delete()
    return rating if created else None


def rating_remove(*, user: User, movie_id: int) -> bool:
    """Remove the user's rating of a movie; False when there was none."""
    deleted, _ = Rating.objects.filter(user=user, movie_id=movie_id).delete()
    return deleted > 0
