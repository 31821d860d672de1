"""The recommendation engine: loads an artifact once and answers every kind of request."""

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from movierec.artifacts import Artifact, read_artifact
from movierec.engine import reasons
from movierec.engine.audience import AUDIENCES, Audience, AudienceFinder
from movierec.engine.catalogue import Catalogue
from movierec.engine.demographics import Demographics, check_demographics, demographic_vector
from movierec.engine.errors import InvalidRequest, UnknownMovie
from movierec.engine.explain import closest_liked
from movierec.engine.filters import Filters, allowed_movies
from movierec.engine.foldin import FoldInPrior, fold_in, fold_in_prior
from movierec.engine.model import ModelTables, load_tables
from movierec.engine.popularity import popularity
from movierec.engine.ranking_map import RankingMap
from movierec.engine.results import Movie, Recommendation, SearchHit
from movierec.engine.scoring import (
    Taste,
    average_taste,
    group_taste,
    predicted_ratings,
    ranking_scores,
    user_taste,
)
from movierec.engine.search import TitleIndex
from movierec.engine.selection import check_count, pick


class Recommender:
    """Recommendations from one model artifact.

    Everything a request needs is precomputed at load (unit movie vectors, popularity, the
    average user's predicted ratings); what only some requests need (the title index, the
    fold-in statistics, the ranking-space map) is built on first use and kept.
    """

    def __init__(self, artifact: Artifact) -> None:
        self.path = artifact.path
        self.tables: ModelTables = load_tables(artifact)
        self.catalogue = Catalogue(self.tables.movie_records)
        self.popularity = popularity(self.tables.seen)
        norms = np.linalg.norm(self.tables.rating.movies, axis=1, keepdims=True)
        self.unit_movies = self.tables.rating.movies / np.maximum(norms, 1e-12)
        self.average_ratings = predicted_ratings(
            self.tables, average_taste(self.tables), np.arange(len(self.catalogue))
        )
        self.audiences = AudienceFinder(self.tables)
        self._title_index: TitleIndex | None = None
        self._fold_in_prior: FoldInPrior | None = None
        self._ranking_map: RankingMap | None = None

    @classmethod
    def from_artifact(cls, path: Path | str, *, verify: bool = True) -> "Recommender":
        """Load the artifact folder at `path`; ArtifactError when it is unusable."""
        return cls(read_artifact(Path(path), verify=verify))

    def warm(self) -> "Recommender":
        """Build now what is otherwise built on first use (the title index, the fold-in
        statistics, the by-movie ratings), so that no request pays for it; returns self."""
        self._search_index()
        self._new_user_prior()
        if self.tables.ranking_tower is None:
            self._new_user_ranking_map()
        self.tables.seen.column(0)
        return self

    @property
    def genres(self) -> list[str]:
        """Every genre of the catalogue, sorted: the values the genre filter accepts."""
        return list(self.catalogue.genre_names)

    @property
    def has_demographics(self) -> bool:
        """Whether for_new_user accepts gender, age and occupation with this model."""
        return self.tables.demographic_vectors is not None

    def movie(self, movie_id: int) -> Movie:
        """The catalogue entry of `movie_id`; UnknownMovie when the model lacks it."""
        movie = self.tables.movies.index(movie_id)
        count = int(self.popularity.counts[movie])
        mean = float(self.popularity.means[movie]) if count else None
        return Movie(
            self.catalogue.movie_ids[movie],
            self.catalogue.titles[movie],
            self.catalogue.years[movie],
            self.catalogue.genres[movie],
            count,
            mean,
        )

    def find_movie(self, query: int | str) -> Movie:
        """The movie a person means by `query`: a movie id (number) or else the best title match.

        UnknownMovie when nothing matches. A number that is no movie id is tried as a title
        ("1941", "2001").
        """
        if isinstance(query, str) and query.strip().isdigit():
            if int(query) in self.tables.movies:
                return self.movie(int(query))
        elif not isinstance(query, str):
            return self.movie(query)
        hits = self.search(query, 1) if query.strip() else []
        if not hits:
            raise UnknownMovie(f"no movie id or title matches {query!r}; try a shorter title")
        return self.movie(hits[0].movie_id)

    def for_user(
        self,
        user_id: int,
        n: int = 10,
        *,
        exclude_seen: bool = True,
        filters: Filters | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """The n movies the model scores highest for a known user, never one they rated
        (unless `exclude_seen` is False)."""
        n = check_count(n, len(self.catalogue))
        user = self.tables.users.index(user_id)
        taste = user_taste(self.tables, user)
        scores = ranking_scores(self.tables, taste)
        rated, stars = self.tables.seen.row(user)
        if exclude_seen:
            scores[rated] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        predicted = predicted_ratings(self.tables, taste, chosen)
        fallbacks = [reasons.predicted_for_you(rating) for rating in predicted]
        why = self._rating_reasons(chosen, rated, stars, fallbacks)
        return self._results(chosen, scores, predicted, why)

    def similar_movies(
        self,
        movie_id: int,
        n: int = 10,
        *,
        filters: Filters | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """The n movies whose vectors are closest in angle (cosine) to the movie's; never itself."""
        n = check_count(n, len(self.catalogue))
        movie = self.tables.movies.index(movie_id)
        scores = (self.unit_movies @ self.unit_movies[movie]).astype(np.float64)
        scores[movie] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        source_genres = self.catalogue.genres[movie]
        title = self.catalogue.titles[movie]
        why = [
            reasons.similar_to(
                title, [genre for genre in source_genres if genre in self.catalogue.genres[other]]
            )
            for other in chosen.tolist()
        ]
        return self._results(chosen, scores, self.average_ratings[chosen], why)

    def also_liked(
        self,
        movie_id: int,
        n: int = 10,
        *,
        audience: Audience = "model",
        filters: Filters | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """What the movie's audience likes most, as a group; never the movie itself.

        `audience` is "model" (the users the model says like it most) or "raters" (users who
        rated it 4+ stars); see `movierec.engine.audience`.
        """
        n = check_count(n, len(self.catalogue))
        movie = self.tables.movies.index(movie_id)
        if audience not in AUDIENCES:
            raise InvalidRequest(
                f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}"
            )
        fans = self.audiences.find(movie, audience)
        taste = group_taste(self.tables, fans)
        scores = ranking_scores(self.tables, taste)
        scores[movie] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        _, fan_movies, fan_stars = self.tables.seen.rows(fans)
        liked_by_fans = fan_movies[fan_stars >= self.tables.scale.liked]
        counts = [int(count) for count in (liked_by_fans[None, :] == chosen[:, None]).sum(axis=1)]
        title = self.catalogue.titles[movie]
        why = [reasons.fans_liked(title, count, len(fans)) for count in counts]
        return self._results(chosen, scores, predicted_ratings(self.tables, taste, chosen), why)

    def for_new_user(
        self,
        ratings: Mapping[int, float] | None = None,
        *,
        gender: str | None = None,
        age: int | None = None,
        occupation: int | None = None,
        n: int = 10,
        filters: Filters | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """Recommendations for someone the model has never seen, never a movie they just rated.

        From `ratings` ({movie_id: stars}, even one) by fold-in, starting from the demographic
        user when gender/age/occupation are given; from demographics alone without ratings; and
        from the best-rated movies (Bayesian average) with neither.
        """
        n = check_count(n, len(self.catalogue))
        who = check_demographics(gender, age, occupation)
        if who.given and self.tables.demographic_vectors is None:
            raise InvalidRequest(
                "this model was trained without gender, age and occupation; leave them out"
            )
        rated, stars = self._new_ratings(ratings or {})
        if len(rated) == 0 and not who.given:
            return self._popular(n, filters, sample_from, seed)
        taste = self._new_taste(who, rated, stars)
        scores = ranking_scores(self.tables, taste)
        scores[rated] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        predicted = predicted_ratings(self.tables, taste, chosen)
        fallbacks = [
            reasons.popular_with(who) if who.given else reasons.predicted_for_you(rating)
            for rating in predicted
        ]
        why = self._rating_reasons(chosen, rated, stars, fallbacks)
        return self._results(chosen, scores, predicted, why)

    def search(self, query: str, n: int = 10) -> list[SearchHit]:
        """Movies whose title matches `query`, best match first, then the most rated."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidRequest("the search query is empty; type part of a title")
        n = check_count(n, len(self.catalogue))
        found = self._search_index().search(query, self.popularity.counts, n)
        return [
            SearchHit(
                self.catalogue.movie_ids[movie],
                self.catalogue.titles[movie],
                self.catalogue.years[movie],
                self.catalogue.genres[movie],
                level,
                int(self.popularity.counts[movie]),
            )
            for movie, level in found
        ]

    def _search_index(self) -> TitleIndex:
        if self._title_index is None:
            self._title_index = TitleIndex(self.catalogue.raw_titles, self.catalogue.years)
        return self._title_index

    def _new_user_prior(self) -> FoldInPrior:
        if self._fold_in_prior is None:
            self._fold_in_prior = fold_in_prior(self.tables)
        return self._fold_in_prior

    def _new_user_ranking_map(self) -> RankingMap:
        """Carries a folded-in user into the ranking space of artifacts that lack the ranking
        head's new-user tower."""
        if self._ranking_map is None:
            self._ranking_map = RankingMap(self.tables)
        return self._ranking_map

    def _choose(
        self,
        scores: np.ndarray,
        n: int,
        filters: Filters | None,
        sample_from: int | None,
        seed: int | None,
    ) -> np.ndarray:
        allowed = allowed_movies(filters, self.catalogue, self.popularity.counts)
        if allowed is not None:
            scores[~allowed] = -np.inf
        return pick(scores, n, sample_from, seed)

    def _rating_reasons(
        self, chosen: np.ndarray, rated: np.ndarray, stars: np.ndarray, fallbacks: list[str]
    ) -> list[str]:
        anchors = closest_liked(chosen, rated, stars, self.unit_movies, self.tables.scale.liked)
        why = []
        for movie, anchor, fallback in zip(chosen.tolist(), anchors, fallbacks, strict=True):
            if anchor is None:
                why.append(fallback)
            elif anchor[0] == movie:
                why.append(reasons.you_rated(anchor[1]))
            else:
                why.append(reasons.because_you_rated(self.catalogue.titles[anchor[0]], anchor[1]))
        return why

    def _new_ratings(self, ratings: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(ratings, Mapping):
            raise InvalidRequest("ratings must map movie ids to stars, like {1: 5, 50: 4}")
        movies = np.array(
            [self.tables.movies.index(movie_id) for movie_id in ratings], dtype=np.int64
        )
        scale = self.tables.scale
        stars = []
        for movie_id, value in ratings.items():
            number = value if isinstance(value, int | float | np.number) else None
            if number is None or isinstance(value, bool) or not scale.low <= number <= scale.high:
                raise InvalidRequest(
                    f"the rating of movie {movie_id} must be {scale.low:g} to {scale.high:g} "
                    f"stars, not {value!r}"
                )
            stars.append(float(number))
        return movies, np.array(stars, dtype=np.float64)

    def _new_taste(self, who: Demographics, rated: np.ndarray, stars: np.ndarray) -> Taste:
        prior = self._new_user_prior()
        start = prior.mean_vector
        if who.given and self.tables.demographic_vectors is not None:
            start = demographic_vector(
                self.tables.demographic_vectors, who, self.tables.user_demographics
            )
        vector, bias = start, prior.mean_bias
        if len(rated):
            vector, bias = fold_in(self.tables, prior, rated, stars, start)
        tower = self.tables.ranking_tower
        if tower is not None:
            ranking = tower.vector(who, self.tables.user_demographics, rated, stars)
        else:
            ranking = self._new_user_ranking_map()(vector, bias)
        return Taste(vector, bias, ranking)

    def _popular(
        self, n: int, filters: Filters | None, sample_from: int | None, seed: int | None
    ) -> list[Recommendation]:
        scores = self.popularity.bayesian.astype(np.float64)
        chosen = self._choose(scores, n, filters, sample_from, seed)
        why = [
            reasons.highly_rated(self.popularity.means[movie], int(self.popularity.counts[movie]))
            for movie in chosen.tolist()
        ]
        return self._results(chosen, scores, self.average_ratings[chosen], why)

    def _results(
        self, chosen: np.ndarray, scores: np.ndarray, predicted: np.ndarray, why: list[str]
    ) -> list[Recommendation]:
        catalogue = self.catalogue
        return [
            Recommendation(
                movie_id=catalogue.movie_ids[movie],
                title=catalogue.titles[movie],
                year=catalogue.years[movie],
                genres=catalogue.genres[movie],
                score=float(scores[movie]),
                predicted_rating=round(float(rating), 3),
                reason=reason,
            )
            for movie, rating, reason in zip(chosen.tolist(), predicted, why, strict=True)
        ]
