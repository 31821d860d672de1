"""Rows of cards, as the home page and profiles show them."""

from dataclasses import dataclass

from django.utils.text import slugify

from movierec_site.catalog.cards import MovieCard


@dataclass(frozen=True)
class Row:
    title: str
    cards: list[MovieCard]
    subtitle: str = ""
    more_url: str = ""

    @property
    def slug(self) -> str:
        """The title as the row's HTML ids use it; kept in its own script, so that titles in
        Chinese do not all come out empty and share one id."""
        return slugify(self.title, allow_unicode=True)
