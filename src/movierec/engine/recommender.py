"""The recommendation engine: loads an artifact once and answers every kind of request."""

import math
from collections.abc import Collection, Mapping
from pathlib import Path

import numpy as np

from movierec.artifacts import Artifact, read_artifact
from movierec.engine import reasons
from movierec.engine.audience import AUDIENCES, Audience, AudienceFinder
from movierec.engine.browsing import BROWSE_ORDERS, BrowseOrder, BrowseOrders
from movierec.engine.catalogue import Catalogue
from movierec.engine.demographics import Demographics, check_demographics, demographic_vector
from movierec.engine.errors import InvalidRequest, UnknownMovie
from movierec.engine.explain import closest_liked
from movierec.engine.filters import Filters, allowed_movies
from movierec.engine.foldin import FoldInPrior, fold_in, fold_in_prior
from movierec.engine.known_user import current_taste
from movierec.engine.model import ModelTables, load_tables
from movierec.engine.new_user_head import NewUserHead
from movierec.engine.popularity import popularity
from movierec.engine.ranking_map import RankingMap
from movierec.engine.related import RelatedMovies
from movierec.engine.results import (
    ExternalIds,
    Movie,
    RatingScale,
    Reason,
    Recommendation,
    SearchHit,
)
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
        self._dataset = str(artifact.manifest.get("dataset") or "")
        self._has_site_accounts = "site_ratings" in artifact.manifest
        self._tables: ModelTables = load_tables(artifact)
        self._catalogue = Catalogue(self._tables.movie_records)
        self._popularity = popularity(self._tables.seen, self._tables.scale.liked)
        norms = np.linalg.norm(self._tables.rating.movies, axis=1, keepdims=True)
        self._unit_movies = self._tables.rating.movies / np.maximum(norms, 1e-12)
        self._average_ratings = predicted_ratings(
            self._tables, average_taste(self._tables), np.arange(len(self._catalogue))
        )
        self._audiences = AudienceFinder(self._tables)
        self._browse_orders = BrowseOrders(self._catalogue, self._popularity.counts)
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
        if self._tables.ranking_tower is None and self._tables.new_user_head is None:
            self._new_user_ranking_map()
        self._tables.seen.column(0)
        return self

    @property
    def genres(self) -> list[str]:
        """Every genre of the catalogue, sorted: the values the genre filter accepts."""
        return list(self._catalogue.genre_names)

    @property
    def has_demographics(self) -> bool:
        """Whether for_new_user accepts gender, age and occupation with this model."""
        return self._tables.demographic_vectors is not None

    @property
    def catalogue_size(self) -> int:
        """Number of movies the model knows."""
        return len(self._catalogue)

    @property
    def dataset(self) -> str:
        """The name of the dataset the model was trained on, as its manifest records it ("ml-1m");
        empty when the artifact does not say. Movie ids mean films of this dataset only."""
        return self._dataset

    @property
    def movie_ids(self) -> list[int]:
        """Every movie id of the catalogue, in catalogue order (listed or not)."""
        return list(self._catalogue.movie_ids)

    @property
    def user_count(self) -> int:
        """Number of users the model was trained on (in a model retrained on a site's ratings,
        its accounts too: `movierec.site_accounts`)."""
        return len(self._tables.users)

    @property
    def rating_scale(self) -> RatingScale:
        """The stars a rating may take, and from which one says "liked"."""
        scale = self._tables.scale
        return RatingScale(scale.low, scale.high, scale.step)

    def knows_movie(self, movie_id: object) -> bool:
        """Whether `movie_id` is a movie of the catalogue; False for anything but a whole number."""
        return movie_id in self._tables.movies

    def known_movies(self, movie_ids: Collection[object]) -> list[int]:
        """The ids among `movie_ids` that are movies of the catalogue (an alias counts), in the
        order given: `knows_movie` for many at once."""
        return self._tables.movies.present(movie_ids)

    @property
    def has_site_accounts(self) -> bool:
        """Whether the model was retrained on a web site's ratings, so that some of its users
        are the site's accounts (`movierec.site_accounts`), not users of the dataset."""
        return self._has_site_accounts

    def knows_user(self, user_id: object) -> bool:
        """Whether `user_id` is a user the model was trained on (a dataset user, or a site
        account in a retrained model); False for anything but a whole number."""
        return user_id in self._tables.users

    def movie(self, movie_id: int) -> Movie:
        """The catalogue entry of `movie_id`; UnknownMovie when the model lacks it."""
        return self._movie(self._tables.movies.index(movie_id))

    def external_ids(self, movie_id: int) -> ExternalIds:
        """IMDb and TMDB ids of a movie where the release knows them; UnknownMovie if absent."""
        movie = self._tables.movies.index(movie_id)
        return ExternalIds(self._catalogue.imdb_ids[movie], self._catalogue.tmdb_ids[movie])

    def rating_histogram(self, movie_id: int) -> list[tuple[int, int]]:
        """(whole stars, number of training ratings) from the top of the scale down; half stars
        count with the whole star above them (3.5 with 4). UnknownMovie for an unknown id."""
        _, ratings = self._tables.seen.column(self._tables.movies.index(movie_id))
        scale = self._tables.scale
        top, bottom = math.ceil(scale.high), max(1, math.ceil(scale.low))
        counts = np.bincount(np.ceil(ratings).astype(np.int64), minlength=top + 1)
        return [(stars, int(counts[stars])) for stars in range(top, bottom - 1, -1)]

    def genre_counts(self) -> dict[str, int]:
        """{genre: number of movies of that genre} for every genre of the catalogue."""
        return self._catalogue.genre_counts()

    def most_rated(
        self, n: int = 10, *, filters: Filters | None = None, offset: int = 0
    ) -> list[Movie]:
        """The movies with the most training ratings, most first (ties in catalogue order),
        skipping the first `offset`; fewer than n at the end of the catalogue."""
        return self.browse(n, order="most_rated", filters=filters, offset=offset)

    def browse(
        self, n: int = 10, *, order: BrowseOrder = "most_rated", filters: Filters | None = None,
        offset: int = 0,
    ) -> list[Movie]:
        """The catalogue as a person browses it, `filters` applied: "most_rated" (most training
        ratings first), "newest" (latest year first, undated movies last) or "title" (A to Z),
        skipping the first `offset`; fewer than n at the end."""
        n = check_count(n, len(self._catalogue))
        whole = isinstance(offset, int | np.integer) and not isinstance(offset, bool)
        if not whole or offset < 0:
            raise InvalidRequest(f"offset must be a whole number from 0 up, not {offset!r}")
        if order not in BROWSE_ORDERS:
            raise InvalidRequest(f"order must be one of {', '.join(BROWSE_ORDERS)}, not {order!r}")
        allowed = allowed_movies(filters, self._catalogue, self._popularity.counts,
                                 self._tables.movies)
        chosen = self._browse_orders.order(order, allowed)[offset : offset + n]
        return [self._movie(movie) for movie in chosen.tolist()]

    def count(self, filters: Filters | None = None) -> int:
        """How many movies `filters` allow: the length of a full `browse`."""
        allowed = allowed_movies(filters, self._catalogue, self._popularity.counts,
                                 self._tables.movies)
        return len(self._catalogue) if allowed is None else int(np.count_nonzero(allowed))

    def dataset_users(self) -> tuple[np.ndarray, np.ndarray]:
        """(user ids, number of training ratings of each) of every user the model was trained
        on, read-only; a retrained model's include the site's accounts, ids from
        `movierec.site_accounts.SITE_USER_OFFSET` up."""
        ids = self._tables.users.ids.view()
        ids.flags.writeable = False
        return ids, np.diff(self._tables.seen.indptr)

    def user_ratings(self, user_id: int) -> list[tuple[int, float]]:
        """(movie id, stars) of every training rating of a dataset user, best first, the most
        rated movie first among equal stars; UnknownUser for an id the model lacks."""
        user = self._tables.users.index(user_id)
        movies, stars = self._tables.seen.row(user)
        order = np.lexsort((-self._popularity.counts[movies], -stars))
        movie_ids = self._tables.movies.ids[movies[order]]
        return [
            (int(movie), float(value))
            for movie, value in zip(movie_ids, stars[order], strict=True)
        ]

    def find_movie(self, query: int | str) -> Movie:
        """The movie a person means by `query`: a movie id (number) or else the best title match.

        UnknownMovie when nothing matches. A number that is no movie id is tried as a title
        ("1941", "2001").
        """
        if isinstance(query, str) and query.strip().isdigit():
            if int(query) in self._tables.movies:
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
        ratings: Mapping[int, float] | None = None,
        filters: Filters | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """The n movies the model scores highest for a known user, never one they rated
        (unless `exclude_seen` is False).

        `ratings` ({movie_id: stars}) are for a user who may have rated since the model was
        trained (a site account a retrained model knows): every rating they have now. The list
        then starts from what the model learned of them and moves by the ratings given, changed
        or taken back since (`movierec.engine.known_user`); none of those movies, nor any the
        model learned from, comes back, and reasons cite the ratings they have now.
        """
        n = check_count(n, len(self._catalogue))
        user = self._tables.users.index(user_id)
        rated, stars = self._tables.seen.row(user)
        if ratings is None:
            taste = user_taste(self._tables, user)
            hidden = rated
        else:
            learned = rated
            rated, stars = self._new_ratings(ratings)
            taste = current_taste(self._tables, self._new_user_prior(),
                                  self._new_user_ranking_map, user, rated, stars)
            hidden = np.concatenate([learned, rated])
        scores = ranking_scores(self._tables, taste)
        if exclude_seen:
            scores[hidden] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        predicted = predicted_ratings(self._tables, taste, chosen)
        fallbacks = [reasons.predicted_for_you(rating) for rating in predicted]
        why = self._rating_reasons(chosen, rated, stars, fallbacks)
        return self._results(chosen, scores, predicted, why)

    def predicted_stars(
        self,
        movie_ids: Collection[int],
        *,
        user_id: int | None = None,
        ratings: Mapping[int, float] | None = None,
        gender: str | None = None,
        age: int | None = None,
        occupation: int | None = None,
    ) -> dict[int, float]:
        """{movie id: the stars the model predicts} for whoever a list would be for: a known
        `user_id` (with `ratings`, as they rate now: see `for_user`), else someone new known by
        `ratings` and demographics (`for_new_user`'s fold-in). The rating head, clipped to the
        scale, as `Recommendation.predicted_rating` is; ids the model lacks are left out."""
        if user_id is not None:
            user = self._tables.users.index(user_id)
            if ratings is None:
                taste = user_taste(self._tables, user)
            else:
                rated, stars = self._new_ratings(ratings)
                taste = current_taste(self._tables, self._new_user_prior(),
                                      self._new_user_ranking_map, user, rated, stars)
        else:
            who = check_demographics(gender, age, occupation)
            rated, stars = self._new_ratings(ratings or {})
            vector, bias = self._folded_in(who, rated, stars)
            taste = Taste(vector, bias, vector)
        wanted = np.array(self.known_movies(movie_ids), dtype=np.int64)
        rows = self._tables.movies.rows(self._tables.movies.canonical(wanted))
        predicted = predicted_ratings(self._tables, taste, rows)
        return {int(movie): round(float(value), 3)
                for movie, value in zip(wanted.tolist(), predicted, strict=True)}

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
        n = check_count(n, len(self._catalogue))
        movie = self._tables.movies.index(movie_id)
        scores = (self._unit_movies @ self._unit_movies[movie]).astype(np.float64)
        scores[movie] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        source_genres = self._catalogue.genres[movie]
        title = self._catalogue.titles[movie]
        source_id = self._catalogue.movie_ids[movie]
        why = [
            reasons.similar_to(
                source_id,
                title,
                [genre for genre in source_genres if genre in self._catalogue.genres[other]],
            )
            for other in chosen.tolist()
        ]
        return self._results(chosen, scores, self._average_ratings[chosen], why)

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

        The audience is the viewers who like the movie most: with `audience="model"` the users
        the model scores it highest for (they need not have rated it); with "raters" the users
        who rated it "liked" (4+ stars on 1-5), the model's favourites among them when there
        are more, and the model's audience when nobody did. It is 50 viewers
        (`audience.AUDIENCE_SIZE`), a tenth of the users on a small model, or fewer raters when
        fewer liked the movie; see `movierec.engine.audience`.

        The list is in the order of the audience's model score as a group (the average of their
        scores), so it can hold movies few of them have seen. Each reason says that it is ranked
        for those viewers, and adds how many of them rated the movie "liked" in training: a
        figure that explains, but does not set, the order.
        """
        n = check_count(n, len(self._catalogue))
        movie = self._tables.movies.index(movie_id)
        if audience not in AUDIENCES:
            raise InvalidRequest(
                f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}"
            )
        fans = self._audiences.find(movie, audience)
        taste = group_taste(self._tables, fans)
        scores = ranking_scores(self._tables, taste)
        scores[movie] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        liked = self._tables.scale.liked
        _, fan_movies, fan_stars = self._tables.seen.rows(fans)
        liked_by_fans = fan_movies[fan_stars >= liked]
        counts = [int(count) for count in (liked_by_fans[None, :] == chosen[:, None]).sum(axis=1)]
        source_id, title = self._catalogue.movie_ids[movie], self._catalogue.titles[movie]
        why = [reasons.fans_liked(source_id, title, count, len(fans), liked) for count in counts]
        return self._results(chosen, scores, predicted_ratings(self._tables, taste, chosen), why)

    def for_new_user(
        self,
        ratings: Mapping[int, float] | None = None,
        n: int = 10,
        *,
        filters: Filters | None = None,
        gender: str | None = None,
        age: int | None = None,
        occupation: int | None = None,
        sample_from: int | None = None,
        seed: int | None = None,
    ) -> list[Recommendation]:
        """Recommendations for someone the model has never seen, never a movie they just rated.

        From `ratings` ({movie_id: stars}, even one) and gender/age/occupation where given: by
        the new-user head when the model has one (what many people liked, leaned toward the
        kinds of movie the person rated well and away from those they rated low; see
        `movierec.engine.new_user_head`), else by fold-in into the model's other heads. With
        neither ratings nor demographics: the best-rated movies (Bayesian average). Through
        the head, a reason names a rating only when that rating put the movie in the list.
        """
        n = check_count(n, len(self._catalogue))
        who = check_demographics(gender, age, occupation)
        if who.given and self._tables.demographic_vectors is None:
            raise InvalidRequest(
                "this model was trained without gender, age and occupation; leave them out"
            )
        rated, stars = self._new_ratings(ratings or {})
        if len(rated) == 0 and not who.given:
            return self._popular(n, filters, sample_from, seed)
        head = self._tables.new_user_head
        if head is not None:
            return self._from_new_user_head(head, who, rated, stars, n, filters, sample_from,
                                            seed)
        taste = self._new_taste(who, rated, stars)
        scores = ranking_scores(self._tables, taste)
        scores[rated] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        predicted = predicted_ratings(self._tables, taste, chosen)
        fallbacks = [
            reasons.popular_with(who) if who.given else reasons.predicted_for_you(rating)
            for rating in predicted
        ]
        why = self._rating_reasons(chosen, rated, stars, fallbacks)
        return self._results(chosen, scores, predicted, why)

    def _from_new_user_head(
        self, head: NewUserHead, who: Demographics, rated: np.ndarray, stars: np.ndarray,
        n: int, filters: Filters | None, sample_from: int | None, seed: int | None,
    ) -> list[Recommendation]:
        """A new user's list as the new-user head ranks it; each reason names the rating that
        put the movie there, or, when none did, the group or the many who liked it."""
        profile = head.profile(self._tables.rating.movies, who, rated, stars)
        scores = profile.scores
        scores[rated] = -np.inf
        chosen = self._choose(scores, n, filters, sample_from, seed)
        left_out = scores.copy()
        left_out[chosen] = -np.inf
        cutoff = float(left_out.max()) if len(left_out) else -np.inf
        liked = self._tables.scale.liked
        citable = self._catalogue.listed[rated] & (stars >= liked)
        vector, bias = self._folded_in(who, rated, stars)
        predicted = predicted_ratings(self._tables, Taste(vector, bias, vector), chosen)
        why = []
        for movie, driver in zip(chosen.tolist(), profile.drivers(chosen, cutoff, citable),
                                 strict=True):
            if driver is not None:
                why.append(reasons.because_you_rated(
                    self._catalogue.movie_ids[rated[driver]],
                    self._catalogue.titles[rated[driver]], stars[driver]))
            elif who.given:
                why.append(reasons.popular_with(who))
            else:
                why.append(reasons.widely_liked(int(self._popularity.liked[movie]), liked))
        return self._results(chosen, scores, predicted, why)

    def search(
        self, query: str, n: int = 10, *, filters: Filters | None = None
    ) -> list[SearchHit]:
        """Movies whose title has every word of `query`, best match first, then the most
        rated; after them a few movies the model puts beside the best match (kind "related").
        When no title has every word: titles spelled like the query (kind "suggestion"), then
        those with the query's rarer words. See `movierec.engine.search`."""
        if not isinstance(query, str) or not query.strip():
            raise InvalidRequest("the search query is empty; type part of a title")
        n = check_count(n, len(self._catalogue))
        counts = self._popularity.counts
        allowed = allowed_movies(filters, self._catalogue, counts, self._tables.movies)
        found = self._search_index().find(query, counts, n, allowed)
        return [
            SearchHit(
                self._catalogue.movie_ids[movie],
                self._catalogue.titles[movie],
                self._catalogue.years[movie],
                self._catalogue.genres[movie],
                round(level, 2),
                int(self._popularity.counts[movie]),
                kind,
            )
            for movie, level, kind in found
        ]

    def _search_index(self) -> TitleIndex:
        if self._title_index is None:
            related = RelatedMovies(self._unit_movies, self._popularity.counts)
            self._title_index = TitleIndex(
                self._catalogue.raw_titles, self._catalogue.years, related
            )
        return self._title_index

    def _new_user_prior(self) -> FoldInPrior:
        if self._fold_in_prior is None:
            self._fold_in_prior = fold_in_prior(self._tables)
        return self._fold_in_prior

    def _new_user_ranking_map(self) -> RankingMap:
        """Carries a folded-in user into the ranking space of artifacts that lack the ranking
        head's new-user tower."""
        if self._ranking_map is None:
            self._ranking_map = RankingMap(self._tables)
        return self._ranking_map

    def _choose(
        self,
        scores: np.ndarray,
        n: int,
        filters: Filters | None,
        sample_from: int | None,
        seed: int | None,
    ) -> np.ndarray:
        allowed = allowed_movies(filters, self._catalogue, self._popularity.counts,
                                 self._tables.movies)
        if allowed is not None:
            scores[~allowed] = -np.inf
        return pick(scores, n, sample_from, seed)

    def _rating_reasons(
        self, chosen: np.ndarray, rated: np.ndarray, stars: np.ndarray, fallbacks: list[Reason]
    ) -> list[Reason]:
        cited = self._catalogue.listed[rated]  # "because you rated unknown" says nothing
        anchors = closest_liked(
            chosen, rated[cited], stars[cited], self._unit_movies, self._tables.scale.liked
        )
        why = []
        for movie, anchor, fallback in zip(chosen.tolist(), anchors, fallbacks, strict=True):
            if anchor is None:
                why.append(fallback)
            elif anchor[0] == movie:
                why.append(reasons.you_rated(anchor[1]))
            else:
                anchor_id = self._catalogue.movie_ids[anchor[0]]
                title = self._catalogue.titles[anchor[0]]
                why.append(reasons.because_you_rated(anchor_id, title, anchor[1]))
        return why

    def _new_ratings(self, ratings: Mapping[int, float]) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(ratings, Mapping):
            raise InvalidRequest("ratings must map movie ids to stars, like {1: 5, 50: 4}")
        scale = self._tables.scale
        for movie_id, value in ratings.items():
            number = value if isinstance(value, int | float | np.number) else None
            if number is None or isinstance(value, bool) or not scale.low <= number <= scale.high:
                raise InvalidRequest(
                    f"the rating of movie {movie_id} must be {scale.low:g} to {scale.high:g} "
                    f"stars, not {value!r}"
                )
        if not ratings:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        movies = self._tables.movies.indices(list(ratings))
        stars = np.fromiter(ratings.values(), dtype=np.float64, count=len(ratings))
        # An alias and the id it stands for are one film: it counts once, as last rated.
        last = {movie: position for position, movie in enumerate(movies.tolist())}
        once = np.array(sorted(last.values()), dtype=np.int64)
        return movies[once], stars[once]

    def _folded_in(self, who: Demographics, rated: np.ndarray, stars: np.ndarray
                   ) -> tuple[np.ndarray, float]:
        """The new user's rating-space vector and bias: their predicted ratings."""
        prior = self._new_user_prior()
        start = prior.mean_vector
        if who.given and self._tables.demographic_vectors is not None:
            start = demographic_vector(
                self._tables.demographic_vectors, who, self._tables.user_demographics
            )
        if not len(rated):
            return start, prior.mean_bias
        return fold_in(self._tables, prior, rated, stars, start)

    def _new_taste(self, who: Demographics, rated: np.ndarray, stars: np.ndarray) -> Taste:
        vector, bias = self._folded_in(who, rated, stars)
        tower = self._tables.ranking_tower
        if tower is not None:
            ranking = tower.vector(who, self._tables.user_demographics, rated, stars)
        else:
            ranking = self._new_user_ranking_map()(vector, bias)
        return Taste(vector, bias, ranking)

    def _popular(
        self, n: int, filters: Filters | None, sample_from: int | None, seed: int | None
    ) -> list[Recommendation]:
        scores = self._popularity.bayesian.astype(np.float64)
        chosen = self._choose(scores, n, filters, sample_from, seed)
        why = [
            reasons.highly_rated(self._popularity.means[movie], int(self._popularity.counts[movie]))
            for movie in chosen.tolist()
        ]
        return self._results(chosen, scores, self._average_ratings[chosen], why)

    def _movie(self, movie: int) -> Movie:
        count = int(self._popularity.counts[movie])
        mean = float(self._popularity.means[movie]) if count else None
        return Movie(
            self._catalogue.movie_ids[movie],
            self._catalogue.titles[movie],
            self._catalogue.years[movie],
            self._catalogue.genres[movie],
            count,
            mean,
        )

    def _results(
        self, chosen: np.ndarray, scores: np.ndarray, predicted: np.ndarray, why: list[Reason]
    ) -> list[Recommendation]:
        catalogue = self._catalogue
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
