from django.db import models

CHINESE_TITLE_LANGUAGES = frozenset({"zh-hans", "zh-cn", "zh-sg"})
"""The site's language codes of Simplified Chinese, the script of TMDB's zh-CN titles."""


class CachedPoster(models.Model):
    """What TMDB said about a movie's poster: its address, or that it has none, or that asking
    failed (and when, so the lookup is retried later rather than on every page). Beside it, the
    movie's Simplified Chinese title and overview, fetched by the same background job."""

    class Status(models.TextChoices):
        FOUND = "found"
        MISSING = "missing"
        FAILED = "failed"

    movie_id = models.PositiveIntegerField(unique=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    fetched_at = models.DateTimeField()
    chinese_title = models.CharField(max_length=300, blank=True)
    """TMDB's zh-CN title; empty when TMDB has no Chinese translation (or was not asked yet)."""
    chinese_overview = models.TextField(blank=True)
    chinese_checked = models.BooleanField(default=False)
    """Whether TMDB answered the zh-CN request: False for rows cached before titles were, and
    after a failed request, so that the background job asks again."""

    def __str__(self) -> str:
        return f"poster of movie {self.movie_id}: {self.status}"
