"""The arrays of a model artifact that the engine serves from, checked once at load."""

from dataclasses import dataclass
from typing import Any

import numpy as np

from movierec.artifacts import Artifact, ArtifactError
from movierec.engine.errors import UnknownMovie, UnknownUser
from movierec.engine.ids import IdIndex
from movierec.engine.new_user_head import DEMOGRAPHIC_PARTS, NewUserHead
from movierec.engine.ranking_tower import RankingTower, TowerHistory
from movierec.engine.results import RatingScale
from movierec.engine.seen import SeenRatings


@dataclass(frozen=True)
class VectorSpace:
    """User and movie vectors whose dot product is a score."""

    users: np.ndarray
    """(U, D) float32."""
    movies: np.ndarray
    """(M, D) float32."""


@dataclass(frozen=True)
class Scale(RatingScale):
    """How the rating head's output becomes a rating: rating = u.m + b_u + b_m + global_bias."""

    global_bias: float

    def clip(self, ratings: np.ndarray) -> np.ndarray:
        return np.clip(ratings, self.low, self.high)


@dataclass(frozen=True)
class ModelTables:
    """Everything the engine reads from an artifact, validated and in serving dtypes."""

    users: IdIndex
    movies: IdIndex
    rating: VectorSpace
    """The rating head's vectors: they give the displayed predicted rating."""
    ranking: VectorSpace
    """The vectors that rank: the artifact's ranking vectors when it has them, else `rating`."""
    has_ranking_vectors: bool
    user_bias: np.ndarray
    movie_bias: np.ndarray
    scale: Scale
    seen: SeenRatings
    movie_records: list[dict[str, Any]]
    demographic_vectors: np.ndarray | None
    """(2, 7, 21, D) rating-space user vectors by gender, age index and occupation, or None."""
    user_demographics: np.ndarray | None
    """(U, 3) gender, age index and occupation of every user, or None."""
    ranking_tower: RankingTower | None = None
    """The ranking head's user tower for new users, when the artifact carries it."""
    new_user_head: NewUserHead | None = None
    """The new-user head, when the run trained one: it then ranks every new user's list."""


def load_tables(artifact: Artifact) -> ModelTables:
    """The serving tables of `artifact`; ArtifactError naming the first inconsistency."""
    user_ids = artifact.array("user_ids")
    movie_ids = artifact.array("movie_ids")
    user_count, movie_count = len(user_ids), len(movie_ids)
    rating = VectorSpace(
        _matrix(artifact, "user_vectors", user_count),
        _matrix(artifact, "movie_vectors", movie_count),
    )
    _same_width(artifact, rating)
    ranking, has_ranking = rating, "ranking_user_vectors" in artifact.arrays
    if has_ranking:
        ranking = VectorSpace(
            _matrix(artifact, "ranking_user_vectors", user_count),
            _matrix(artifact, "ranking_movie_vectors", movie_count),
        )
        _same_width(artifact, ranking)
    try:
        users = IdIndex(user_ids, "user", UnknownUser)
        movies = IdIndex(movie_ids, "movie", UnknownMovie, _movie_aliases(artifact))
    except ValueError as error:
        raise ArtifactError(f"{artifact.path}: {error}") from None
    return ModelTables(
        users=users,
        movies=movies,
        rating=rating,
        ranking=ranking,
        has_ranking_vectors=has_ranking,
        user_bias=_vector(artifact, "user_bias", user_count),
        movie_bias=_vector(artifact, "movie_bias", movie_count),
        scale=_scale(artifact),
        seen=_seen(artifact, user_count, movie_count),
        movie_records=_movie_records(artifact, movie_ids),
        demographic_vectors=_demographics(artifact, rating.users.shape[1]),
        user_demographics=_user_demographics(artifact, user_count),
        ranking_tower=_ranking_tower(artifact, ranking, movie_count) if has_ranking else None,
        new_user_head=_new_user_head(artifact, rating.movies.shape[1], movie_count),
    )


def _fail(artifact: Artifact, message: str) -> ArtifactError:
    return ArtifactError(f"{artifact.path}: {message}; the artifact is inconsistent, retrain it")


def _matrix(artifact: Artifact, name: str, rows: int) -> np.ndarray:
    values = artifact.array(name)
    if values.ndim != 2 or values.shape[0] != rows:
        raise _fail(artifact, f"{name} has shape {values.shape}, expected ({rows}, D)")
    return _finite(artifact, name, np.ascontiguousarray(values, dtype=np.float32))


def _vector(artifact: Artifact, name: str, rows: int) -> np.ndarray:
    values = artifact.array(name)
    if values.shape != (rows,):
        raise _fail(artifact, f"{name} has shape {values.shape}, expected ({rows},)")
    return _finite(artifact, name, np.ascontiguousarray(values, dtype=np.float32))


def _finite(artifact: Artifact, name: str, values: np.ndarray) -> np.ndarray:
    """`values`, unless one is inf or NaN: a model that diverged in training scores nothing."""
    if not np.isfinite(values).all():
        raise _fail(artifact, f"{name} holds values that are not finite (inf or NaN)")
    return values


def _same_width(artifact: Artifact, space: VectorSpace) -> None:
    if space.users.shape[1] != space.movies.shape[1]:
        raise _fail(
            artifact,
            f"user vectors are {space.users.shape[1]}-d, movie vectors {space.movies.shape[1]}-d",
        )


def _scale(artifact: Artifact) -> Scale:
    scoring = artifact.document("scoring")
    try:
        low, high, step = (float(x) for x in scoring["rating_scale"])
        global_bias = float(scoring["global_bias"])
    except (KeyError, TypeError, ValueError):
        raise _fail(
            artifact, "scoring needs global_bias and rating_scale [low, high, step]"
        ) from None
    if not np.isfinite([low, high, step, global_bias]).all() or step <= 0 or low >= high:
        raise _fail(artifact, f"scoring's rating_scale [{low:g}, {high:g}, {step:g}] and "
                    f"global_bias {global_bias:g} must be finite, with low < high and step > 0")
    return Scale(low, high, step, global_bias=global_bias)


def _seen(artifact: Artifact, user_count: int, movie_count: int) -> SeenRatings:
    indptr = artifact.array("seen_indptr").astype(np.int64, copy=False)
    movies = artifact.array("seen_movies").astype(np.int32, copy=False)
    ratings = artifact.array("seen_ratings").astype(np.float32, copy=False)
    if indptr.shape != (user_count + 1,) or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise _fail(artifact, "seen_indptr is not a row pointer over the users")
    if movies.shape != ratings.shape or len(movies) != indptr[-1]:
        raise _fail(artifact, "seen_movies, seen_ratings and seen_indptr disagree in length")
    if len(movies) and (movies.min() < 0 or movies.max() >= movie_count):
        raise _fail(artifact, "seen_movies holds a movie index outside the catalogue")
    return SeenRatings(indptr, movies, ratings, movie_count)


def _movie_aliases(artifact: Artifact) -> np.ndarray | None:
    """Other ids of films the release listed twice, or None when the artifact predates them."""
    if "movie_aliases" not in artifact.arrays:
        return None
    values = artifact.array("movie_aliases")
    if values.ndim != 2 or values.shape[1] != 2:
        raise _fail(artifact, f"movie_aliases has shape {values.shape}, not (A, 2)")
    return values.astype(np.int64)


def _movie_records(artifact: Artifact, movie_ids: np.ndarray) -> list[dict[str, Any]]:
    records = artifact.document("movies")
    if not isinstance(records, list) or len(records) != len(movie_ids):
        raise _fail(artifact, f"the movies document does not list the {len(movie_ids)} movies")
    for position, record in enumerate(records):
        problem = _movie_record_problem(record, int(movie_ids[position]))
        if problem:
            raise _fail(artifact, f"record {position} of the movies document {problem}")
    return records


def _movie_record_problem(record: object, movie_id: int) -> str | None:
    """What is wrong with one record of the movies document, or None when nothing is."""
    if not isinstance(record, dict):
        return f"is {type(record).__name__}, not an object"
    found = record.get("movie_id")
    if not isinstance(found, int) or isinstance(found, bool) or found != movie_id:
        return f"has movie_id {found!r}, not {movie_id} (the movies are out of index order)"
    if not isinstance(record.get("title"), str):
        return f"(movie {movie_id}) has the title {record.get('title')!r}, not a string"
    genres = record.get("genres")
    if not isinstance(genres, list) or not all(isinstance(genre, str) for genre in genres):
        return f"(movie {movie_id}) has the genres {genres!r}, not a list of strings"
    year = record.get("year")
    if year is not None and not _is_year(year):
        return f"gives movie {movie_id} the year {year!r}, not a whole number from 1 to 9999"
    return None


def _is_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10_000


def _demographics(artifact: Artifact, width: int) -> np.ndarray | None:
    if "demographic_vectors" not in artifact.arrays:
        return None
    values = artifact.array("demographic_vectors")
    if values.shape != (2, 7, 21, width):
        raise _fail(artifact, f"demographic_vectors has shape {values.shape}, not (2, 7, 21, D)")
    return _finite(artifact, "demographic_vectors", np.ascontiguousarray(values, dtype=np.float32))


def _user_demographics(artifact: Artifact, user_count: int) -> np.ndarray | None:
    if "user_demographics" not in artifact.arrays:
        return None
    values = artifact.array("user_demographics")
    if values.shape != (user_count, 3):
        raise _fail(artifact, f"user_demographics has shape {values.shape}, not (U, 3)")
    values = values.astype(np.int64)
    if len(values) and (values.min() < 0 or np.any(values.max(axis=0) >= (2, 7, 21))):
        raise _fail(artifact, "user_demographics holds a code outside (2, 7, 21)")
    return values


def _ranking_tower(artifact: Artifact, ranking: VectorSpace, movie_count: int
                   ) -> RankingTower | None:
    """The new-user ranking tower, or None when the artifact predates it."""
    if "ranking_new_user_base" not in artifact.arrays:
        return None
    width = ranking.users.shape[1]
    base = artifact.array("ranking_new_user_base")
    if base.shape not in ((2, 7, 21, width), (width,)):
        raise _fail(artifact, f"ranking_new_user_base has shape {base.shape}, not "
                    f"(2, 7, 21, {width}) or ({width},)")
    names = ("implicit", "explicit", "weights")
    present = [f"ranking_new_user_history_{name}" in artifact.arrays for name in names]
    base = _finite(artifact, "ranking_new_user_base", np.asarray(base, dtype=np.float64))
    if not any(present):
        return RankingTower(base, None)
    if not all(present):
        raise _fail(artifact, "the ranking_new_user_history arrays come as a set of three")
    # The embeddings stay float32 (M rows each); a request only reads its movies' rows.
    implicit, explicit, weights = (
        _finite(artifact, f"ranking_new_user_history_{name}", np.ascontiguousarray(
            artifact.array(f"ranking_new_user_history_{name}"), dtype=np.float32))
        for name in names)
    members = len(weights)
    if (implicit.ndim != 3 or implicit.shape != explicit.shape or implicit.shape[1] != movie_count
            or weights.shape != (implicit.shape[0], width // max(members, 1), implicit.shape[2])
            or members * weights.shape[1] != width):
        raise _fail(artifact, f"the ranking_new_user_history arrays disagree: {implicit.shape}, "
                    f"{explicit.shape}, {weights.shape} for {movie_count} movies, {width}-d")
    try:
        offset = float(artifact.document("scoring")["ranking_rating_offset"])
    except (KeyError, TypeError, ValueError):
        raise _fail(artifact, "scoring lacks the ranking_rating_offset the history needs") from None
    return RankingTower(base, TowerHistory(implicit, explicit, weights, offset))


def _new_user_head(artifact: Artifact, width: int, movie_count: int) -> NewUserHead | None:
    """The new-user head, or None when the artifact has none (older runs, the seed preset)."""
    if "new_user_implicit" not in artifact.arrays:
        return None
    shapes = {"new_user_implicit": (width, width), "new_user_explicit": (width, width),
              "new_user_prior": (movie_count,)}
    rows = dict(zip(DEMOGRAPHIC_PARTS, (2, 7, 21), strict=True))
    parts = [part for part in DEMOGRAPHIC_PARTS if f"new_user_{part}" in artifact.arrays]
    if parts and len(parts) != len(DEMOGRAPHIC_PARTS):
        raise _fail(artifact, "the new_user gender, age and occupation arrays come as a set")
    shapes |= {f"new_user_{part}": (rows[part], width) for part in parts}
    arrays = {}
    for name, shape in shapes.items():
        if name not in artifact.arrays:
            raise _fail(artifact, f"the new-user head lacks {name}")
        value = np.asarray(artifact.array(name), dtype=np.float64)
        if value.shape != shape or not np.isfinite(value).all():
            raise _fail(artifact, f"{name} has shape {value.shape} (want {shape}) or a value "
                        "that is not finite")
        arrays[name] = value
    try:
        settings = artifact.document("scoring")["new_users"]
        shrink, offset = float(settings["shrink"]), float(settings["rating_offset"])
    except (KeyError, TypeError, ValueError):
        raise _fail(artifact, "scoring lacks the new-user head's shrink and "
                    "rating_offset") from None
    return NewUserHead(
        implicit=arrays["new_user_implicit"], explicit=arrays["new_user_explicit"],
        demographics={part: arrays[f"new_user_{part}"] for part in parts},
        prior=arrays["new_user_prior"], shrink=shrink, rating_offset=offset)
