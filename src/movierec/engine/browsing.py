"""The catalogue in the orders a person browses it by: most rated, newest, title.

Each whole order is sorted once per model, on first use; a request then keeps the movies its
filters allow, in that order, which costs a pass over the catalogue rather than a sort.
"""

from functools import cached_property
from typing import Literal

import numpy as np

from movierec.engine.catalogue import Catalogue
from movierec.engine.text import fold

BrowseOrder = Literal["most_rated", "newest", "title"]
BROWSE_ORDERS: tuple[BrowseOrder, ...] = ("most_rated", "newest", "title")


class BrowseOrders:
    """Movie indices of the whole catalogue in each browse order."""

    def __init__(self, catalogue: Catalogue, counts: np.ndarray) -> None:
        self._catalogue = catalogue
        self._counts = counts

    def order(self, name: BrowseOrder, allowed: np.ndarray | None) -> np.ndarray:
        """Indices in order `name`, only the `allowed` ones (a boolean mask) when given."""
        whole = {"most_rated": self._most_rated, "newest": self._newest,
                 "title": self._title}[name]
        return whole if allowed is None else whole[allowed[whole]]

    @cached_property
    def _most_rated(self) -> np.ndarray:
        """Most training ratings first; ties in catalogue order."""
        return np.lexsort((np.arange(len(self._counts)), -self._counts))

    @cached_property
    def _newest(self) -> np.ndarray:
        """The latest year first, the most rated first within a year; undated movies last."""
        years = self._catalogue.year_array
        return np.lexsort((np.arange(len(years)), -self._counts, -years))

    @cached_property
    def _title(self) -> np.ndarray:
        """A to Z by the release's title, where a leading article stands at the end ("Matrix,
        The" under M), accents, case and punctuation ignored ("Amélie" with "Amelie"), then by
        year."""
        keys = [fold(title) for title in self._catalogue.raw_titles]
        return np.array(sorted(range(len(keys)),
                               key=lambda movie: (keys[movie], self._catalogue.years[movie] or 0)),
                        dtype=np.int64)

