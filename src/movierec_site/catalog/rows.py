"""Rows of cards, as the home page and profiles show them."""

from dataclasses import dataclass

from movierec_site.catalog.cards import MovieCard


@dataclass(frozen=True)
class Row:
    title: str
    cards: list[MovieCard]
    subtitle: str = ""
    more_url: str = ""
