"""An account's own lists of movies: those it hid ("not interested") and its watchlist.

Like a rating, an entry names its movie by the dataset's id and records which film that was
(dataset, title, year): a model of another dataset gives the same id to another film, so an
entry counts only while a model of its dataset is served, and shows its title otherwise.
"""

from django.conf import settings
from django.db import models


class MovieMark(models.Model):
    """One account's mark on one movie."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    movie_id = models.BigIntegerField()
    dataset = models.CharField(max_length=100, blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    year = models.IntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user}: {type(self).__name__} {self.title or self.movie_id}"


class HiddenMovie(MovieMark):
    """A movie the account never wants to see in a list again (until it undoes that)."""

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "movie_id"], name="one_hide_per_user_movie"),
        )


class WatchlistEntry(MovieMark):
    """A movie the account means to watch; it leaves the watchlist when the account rates it."""

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["user", "movie_id"],
                                    name="one_watchlist_entry_per_user_movie"),
        )
        verbose_name_plural = "watchlist entries"
