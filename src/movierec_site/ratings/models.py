from django.conf import settings
from django.db import models


class Rating(models.Model):
    """The stars one account gave one movie. Movies live in the model artifact, not the database,
    so `movie_id` is the dataset's movie id rather than a foreign key: any int64, as the engine's
    tables hold them (a release may use negative ids, or ids of more than nine digits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    movie_id = models.BigIntegerField()
    stars = models.FloatField()
    # What the rating is of, as the model served at the time knew it: a model of another
    # dataset gives the same id to another film, and `publish_model` maps ratings by these.
    dataset = models.CharField(max_length=100, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    year = models.IntegerField(null=True, blank=True)
    imdb_id = models.BigIntegerField(null=True, blank=True)
    tmdb_id = models.BigIntegerField(null=True, blank=True)
    unmapped = models.BooleanField(default=False)
    """Set when a model of another dataset was published that lacks the film: the rating is
    kept and shown with its title, never used for recommending, and its `movie_id` is parked on
    a value of its own (`remapping.PARKED_BELOW`), so the id is free for the film it names now."""
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "movie_id"], name="one_rating_per_user_movie"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=0.5) & models.Q(stars__lte=5),
                name="stars_between_half_and_five",
            ),
        )
        indexes = (models.Index(fields=["user", "-updated"], name="rating_user_recent"),)

    def __str__(self) -> str:
        return f"{self.user} rated movie {self.movie_id}: {self.stars:g} stars"
