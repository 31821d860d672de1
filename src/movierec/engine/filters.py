"""Which movies a request may return: genres, a year range, a minimum number of ratings, and
movies a person asked never to see."""

from dataclasses import dataclass

import numpy as np

from movierec.engine.catalogue import Catalogue
from movierec.engine.errors import InvalidRequest
from movierec.engine.ids import IdIndex


@dataclass(frozen=True)
class Filters:
    """Restrictions on the movies a recommendation may return; the defaults restrict nothing."""

    genres: tuple[str, ...] = ()
    """Keep movies with at least one of these genres (case-insensitive); empty keeps all."""
    year_min: int | None = None
    """Keep movies released in or after this year; movies without a year are dropped."""
    year_max: int | None = None
    """Keep movies released in or before this year; movies without a year are dropped."""
    min_ratings: int = 0
    """Keep movies with at least this many training ratings."""
    exclude: tuple[int, ...] = ()
    """Movie ids to leave out (those a person hid); ids the model lacks are ignored."""
    only: tuple[int, ...] | None = None
    """Keep only these movie ids (a person's ratings, a list to re-sort); None keeps all."""

    @property
    def is_empty(self) -> bool:
        return (
            not self.genres
            and self.year_min is None
            and self.year_max is None
            and (self.min_ratings <= 0)
            and not self.exclude
            and self.only is None
        )


def allowed_movies(
    filters: Filters | None, catalogue: Catalogue, rating_counts: np.ndarray, movies: IdIndex
) -> np.ndarray | None:
    """A boolean mask of the movies a list may show, or None when it may show every movie.

    Those `filters` keep, and never one the catalogue does not list (`Catalogue.listed`): every
    list and the popular fallback choose through here, so the rule holds everywhere.
    """
    kept = _kept(filters, catalogue, rating_counts, movies)
    if catalogue.listed.all():
        return kept
    return catalogue.listed if kept is None else kept & catalogue.listed


def _kept(
    filters: Filters | None, catalogue: Catalogue, rating_counts: np.ndarray, movies: IdIndex
) -> np.ndarray | None:
    """The mask of the movies `filters` keep, or None when it keeps every movie."""
    if filters is None:
        return None
    _check_ranges(filters)
    if filters.is_empty:
        return None
    mask = np.ones(len(catalogue), dtype=bool)
    if filters.genres:
        wanted = catalogue.genre_bits(canonical_genres(filters.genres, catalogue))
        mask &= (catalogue.genre_masks & wanted) != 0
    if filters.year_min is not None:
        mask &= catalogue.year_array >= filters.year_min
    if filters.year_max is not None:
        mask &= (catalogue.year_array <= filters.year_max) & (catalogue.year_array > 0)
    if filters.min_ratings > 0:
        mask &= rating_counts >= filters.min_ratings
    if filters.exclude:
        mask[_rows(filters.exclude, movies)] = False
    if filters.only is not None:
        kept_only = np.zeros(len(catalogue), dtype=bool)
        kept_only[_rows(filters.only, movies)] = True
        mask &= kept_only
    return mask


def _rows(movie_ids: tuple[int, ...], movies: IdIndex) -> np.ndarray:
    """The rows of the ids the model has (aliases followed); the others are ignored."""
    rows = movies.rows(movies.canonical(np.asarray(movie_ids, dtype=np.int64)))
    return rows[rows >= 0]


def canonical_genres(genres: tuple[str, ...], catalogue: Catalogue) -> list[str]:
    """The catalogue's spelling of each genre; InvalidRequest listing the known ones otherwise."""
    if isinstance(genres, str):
        genres = (genres,)
    by_folded = {name.casefold(): name for name in catalogue.genre_names}
    found = []
    for genre in genres:
        name = by_folded.get(str(genre).strip().casefold())
        if name is None:
            raise InvalidRequest(
                f"unknown genre {genre!r}; this model knows: {', '.join(catalogue.genre_names)}"
            )
        found.append(name)
    return found


def _check_ranges(filters: Filters) -> None:
    for name in ("year_min", "year_max", "min_ratings"):
        value = getattr(filters, name)
        whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
        if value is not None and not whole:
            raise InvalidRequest(f"{name} must be a whole number, not {value!r}")
    for name in ("exclude", "only"):
        ids = getattr(filters, name)
        if ids is not None and (isinstance(ids, str | bytes) or not all(
                isinstance(movie, int | np.integer) and not isinstance(movie, bool)
                for movie in ids)):
            raise InvalidRequest(f"{name} must be movie ids (whole numbers), not {ids!r}")
    if filters.min_ratings < 0:
        raise InvalidRequest(f"min_ratings must be 0 or more, not {filters.min_ratings}")
    low, high = filters.year_min, filters.year_max
    if low is not None and high is not None and low > high:
        raise InvalidRequest(f"the year range {low}-{high} is empty: year_min is after year_max")
