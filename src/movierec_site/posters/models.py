from django.db import models


class CachedPoster(models.Model):
    """What TMDB said about a movie's poster: its address, or that it has none, or that asking
    failed (and when, so the lookup is retried later rather than on every page)."""

    class Status(models.TextChoices):
        FOUND = "found"
        MISSING = "missing"
        FAILED = "failed"

    movie_id = models.PositiveIntegerField(unique=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    fetched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"poster of movie {self.movie_id}: {self.status}"
