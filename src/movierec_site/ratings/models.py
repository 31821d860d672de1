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
