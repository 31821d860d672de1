"""Reading recommendations: for an account (fold-in of its ratings) and for dataset users."""

import dataclasses
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext

from movierec.engine import Filters, Movie, Recommendation, Recommender, UnknownUser
from movierec.site_accounts import SITE_USER_OFFSET, is_site_user, site_user_id
from movierec_site.accounts.models import User
from movierec_site.accounts.selectors import account_demographic_words, account_demographics_get
from movierec_site.lists.selectors import hidden_movie_ids, watchlist_movie_ids
from movierec_site.ratings.selectors import rating_stars_map
from movierec_site.serving.engine import current_engine
from movierec_site.serving.memo import memoized

ONBOARDING_GENRES = 8


@dataclass(frozen=True)
class DatasetUserProfile:
    user_id: int
    rating_count: int
    ratings: list[tuple[Movie, float]]
    """Their best-rated movies first, up to the number asked for."""
    favourite_genres: list[str]
    """The genres of the movies they liked (4+ stars), most frequent first, up to three."""


@dataclass(frozen=True)
class Viewer:
    """Whoever is looking at a page, read once per request: their ratings, the movies they hid,
    their watchlist, and how the served model sees them. Signed out: all empty."""

    user: User
    stars: dict[int, float]
    """Every rating of a film the served model has, by its id, as given."""
    hidden: tuple[int, ...]
    watchlist: frozenset[int]
    ratings: dict[int, float]
    """The ratings as the model takes them: on its scale (a rating given on another release's
    scale counts as near as it can)."""
    known: int | None
    """The account's user id in a model retrained on the site's ratings that knows it."""
    who: dict
    """Its demographics, where the model uses them and it gave them."""

    @property
    def signed_in(self) -> bool:
        return self.user.is_authenticated

    def predicted_stars(self, movie_ids: Collection[int]) -> dict[int, float]:
        """{movie id: the stars the model expects the account to give it}, as its lists predict
        them; empty before the account's first rating (a guess about nobody in particular is
        no prediction for them)."""
        if not self.ratings:
            return {}
        engine = current_engine()
        if self.known is not None:
            return engine.predicted_stars(movie_ids, user_id=self.known, ratings=self.ratings)
        return engine.predicted_stars(movie_ids, ratings=self.ratings, **self.who)


def viewer_get(*, user: User) -> Viewer:
    if not user.is_authenticated:
        return Viewer(user, {}, (), frozenset(), {}, None, {})
    engine = current_engine()
    stars = rating_stars_map(user=user)
    scale = engine.rating_scale
    known_movies = engine.known_movies(stars)
    ratings = {movie_id: min(max(stars[movie_id], scale.low), scale.high)
               for movie_id in known_movies}
    account = site_user_id(user.pk)
    known = account if engine.knows_user(account) else None
    who = account_demographics_get(user=user) if known is None and engine.has_demographics \
        else {}
    return Viewer(user, {movie_id: stars[movie_id] for movie_id in known_movies},
                  hidden_movie_ids(user=user), watchlist_movie_ids(user=user), ratings, known,
                  who)


def account_recommendation_list(*, user: User, n: int, filters: Filters | None = None,
                                viewer: Viewer | None = None) -> list[Recommendation]:
    """Recommendations from the account's ratings, computed afresh on every call, so they
    change the moment a rating does, never a movie the account hid. With no ratings yet: the
    best-rated movies, or what people of the account's age group, gender and occupation like
    where it gave them and the model uses them. `viewer`: the account as this request has
    already read it.

    A model retrained on the site's ratings (`manage.py retrain`) knows the account as a user of
    its own: the list then starts from what the model learned of the account and moves with
    every rating given, changed or removed since, and no movie the account has rated, before
    or since, comes back."""
    engine = current_engine()
    viewer = viewer or viewer_get(user=user)
    filters = dataclasses.replace(filters or Filters(), exclude=viewer.hidden)
    if viewer.known is not None:
        return engine.for_user(viewer.known, n=n, ratings=viewer.ratings, filters=filters)
    return engine.for_new_user(viewer.ratings, n=n, filters=filters, **viewer.who)


def demographics_used() -> bool:
    """Whether the model being served takes age group, gender and occupation into account."""
    return current_engine().has_demographics


def people_like_you_words(*, user: User) -> list[str]:
    """What an account's picks before its first rating are based on, in words (["25-34",
    "programmer"]); empty when they are simply popular, well-rated movies."""
    return account_demographic_words(user=user) if demographics_used() else []


def onboarding_movie_list(*, user: User, n: int) -> list[Movie]:
    """Well-known movies spread over genres, for a new account to rate: the most rated movies of
    the largest genres in turn, leaving out what the account has rated."""
    engine = current_engine()
    rated = set(rating_stars_map(user=user)) | set(hidden_movie_ids(user=user))

    def spread() -> list[int]:
        sizes = engine.genre_counts()
        genres = sorted(sizes, key=lambda genre: -sizes[genre])[:ONBOARDING_GENRES]
        columns = [
            engine.most_rated(60, filters=Filters(genres=(genre,))) for genre in genres
        ] or [engine.most_rated(60)]
        order: list[Movie] = []
        for row in zip(*columns, strict=False):
            order.extend(movie for movie in row if movie not in order)
        return order

    picks = memoized(engine, "onboarding", spread)
    return [movie for movie in picks if movie.movie_id not in rated][:n]


def dataset_user_recommendation_list(*, user_id: int, n: int) -> list[Recommendation]:
    """What the model recommends for a user of the dataset; UnknownUser for another id."""
    engine = current_engine()
    _refuse_accounts(engine, user_id)
    return engine.for_user(user_id, n=n)


def dataset_user_profile_get(*, user_id: int, n: int) -> DatasetUserProfile:
    """A dataset user's own ratings, best first; UnknownUser for an id the model lacks."""
    engine = current_engine()
    _refuse_accounts(engine, user_id)
    ratings = engine.user_ratings(user_id)
    shown = [(engine.movie(movie_id), stars) for movie_id, stars in ratings[:n]]
    liked_from = engine.rating_scale.liked
    liked = Counter(
        genre
        for movie_id, stars in ratings
        if stars >= liked_from
        for genre in engine.movie(movie_id).genres
    )
    favourites = [genre for genre, _ in liked.most_common(3)]
    return DatasetUserProfile(user_id, len(ratings), shown, favourites)


def demo_user_list(*, n: int) -> list[tuple[int, int]]:
    """(user id, number of ratings) of a few dataset users with enough ratings to show a taste,
    spread from the moderately to the very active."""
    engine = current_engine()

    def pick() -> list[tuple[int, int]]:
        ids, counts = engine.dataset_users()
        if engine.has_site_accounts:
            # A retrained model's users include the site's accounts: never shown to the public.
            public = ids < SITE_USER_OFFSET
            ids, counts = ids[public], counts[public]
        eligible = np.flatnonzero(counts >= min(20, int(counts.max(initial=0))))
        ordered = eligible[np.lexsort((ids[eligible], counts[eligible]))]
        positions = np.unique(np.linspace(0, len(ordered) - 1, min(n, len(ordered))).astype(int))
        return [(int(ids[ordered[p]]), int(counts[ordered[p]])) for p in positions[::-1]]

    return memoized(engine, ("demo-users", n), pick)


def _refuse_accounts(engine: Recommender, user_id: int) -> None:
    """UnknownUser for a site account's id in a model retrained on the site's ratings, which
    knows accounts as users: their ratings are private to them. Any other model's users are all
    the dataset's, whatever their ids (a release may use ids above the accounts' offset)."""
    if engine.has_site_accounts and is_site_user(user_id):
        raise UnknownUser(gettext("user %(user_id)s is not a user of the dataset")
                          % {"user_id": user_id})
