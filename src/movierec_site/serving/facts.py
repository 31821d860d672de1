"""What the site reads from a loaded model beyond the engine's recommendation methods.

The engine's public methods answer recommendation requests; a site also shows a dataset user's
own ratings, orders a catalogue by how much it was rated and links to IMDb and TMDB. Those reads
touch the engine's tables, and they are all here, so a change in the engine is one file to adapt.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from movierec.engine import Filters, Recommender
from movierec.engine.filters import allowed_movies


@dataclass(frozen=True)
class RatingScale:
    """The stars a rating may take: low to high in steps (1-5 by 1, or 0.5-5 by 0.5)."""

    low: float
    high: float
    step: float

    @property
    def values(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [round(self.low + index * self.step, 3) for index in range(count + 1)]

    @property
    def liked(self) -> float:
        """The stars from which a rating says "liked": 4 on either MovieLens scale."""
        raw = self.low + 0.75 * (self.high - self.low)
        return math.ceil(round(raw / self.step, 6)) * self.step

    def allows(self, stars: float) -> bool:
        steps = (stars - self.low) / self.step
        return self.low <= stars <= self.high and abs(steps - round(steps)) < 1e-6


@dataclass(frozen=True)
class ExternalIds:
    imdb_id: int | None
    tmdb_id: int | None


def rating_scale(engine: Recommender) -> RatingScale:
    scale = engine.tables.scale
    return RatingScale(float(scale.low), float(scale.high), float(scale.step))


def external_ids(engine: Recommender, movie_id: int) -> ExternalIds:
    """IMDb and TMDB ids of a movie where the release knows them; UnknownMovie if absent."""
    record = engine.tables.movie_records[engine.tables.movies.index(movie_id)]
    return ExternalIds(_whole(record.get("imdb_id")), _whole(record.get("tmdb_id")))


def knows_movie(engine: Recommender, movie_id: int) -> bool:
    return movie_id in engine.tables.movies


def known_movies(engine: Recommender, movie_ids: Iterable[int]) -> set[int]:
    """The subset of `movie_ids` in the model's catalogue (a new model may have dropped some)."""
    return {movie_id for movie_id in movie_ids if movie_id in engine.tables.movies}


def catalogue_size(engine: Recommender) -> int:
    return len(engine.catalogue)


def dataset_user_ids(engine: Recommender) -> np.ndarray:
    return engine.tables.users.ids


def dataset_user_ratings(engine: Recommender, user_id: int) -> list[tuple[int, float]]:
    """(movie id, stars) of a dataset user's training ratings, best first; UnknownUser if absent."""
    user = engine.tables.users.index(user_id)
    movies, stars = engine.tables.seen.row(user)
    order = np.lexsort((-engine.popularity.counts[movies], -stars))
    movie_ids = engine.tables.movies.ids[movies[order]]
    return [
        (int(movie), float(value)) for movie, value in zip(movie_ids, stars[order], strict=True)
    ]


def movie_rating_histogram(engine: Recommender, movie_id: int) -> list[tuple[int, int]]:
    """(whole stars, number of training ratings) from the top of the scale down; half stars
    count with the whole star above them (3.5 with 4)."""
    _, ratings = engine.tables.seen.column(engine.tables.movies.index(movie_id))
    scale = rating_scale(engine)
    top, bottom = math.ceil(scale.high), max(1, math.ceil(scale.low))
    counts = np.bincount(np.ceil(ratings).astype(np.int64), minlength=top + 1)
    return [(stars, int(counts[stars])) for stars in range(top, bottom - 1, -1)]


def dataset_user_rating_counts(engine: Recommender) -> np.ndarray:
    """(U,) number of training ratings of every dataset user, in user index order."""
    return np.diff(engine.tables.seen.indptr)


def most_rated(
    engine: Recommender, *, n: int, offset: int = 0, filters: Filters | None = None
) -> list[int]:
    """Movie ids by number of training ratings, most first (ties by id), after `filters`."""
    counts = engine.popularity.counts.astype(np.int64)
    allowed = allowed_movies(filters, engine.catalogue, counts)
    candidates = np.arange(len(counts)) if allowed is None else np.flatnonzero(allowed)
    order = candidates[np.lexsort((candidates, -counts[candidates]))]
    return [int(movie) for movie in engine.tables.movies.ids[order[offset : offset + n]]]


def genre_sizes(engine: Recommender) -> dict[str, int]:
    """{genre: number of movies of that genre} over the catalogue."""
    masks = engine.catalogue.genre_masks
    return {
        genre: int(np.count_nonzero(masks & engine.catalogue.genre_bits([genre])))
        for genre in engine.genres
    }


def _whole(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
