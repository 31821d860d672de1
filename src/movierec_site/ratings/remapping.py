"""The site's ratings against a model about to be published: which would come to rate other
films, and moving them to the ids the new model gives their films.

A movie id names a film of one dataset only. A rating records the dataset, title, year and
external ids of its film (`services.rating_film`). Under a model of the same dataset its id
stands; under another it is looked up by IMDb id, then TMDB id, then title and year. A rating
whose film the new model lacks is marked unmapped: kept and shown with its title, never used to
recommend, and its `movie_id` parked on a value of its own (below any dataset's ids), so that
the id is free for a new rating of whatever film it names now.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q

from movierec.engine import Recommender
from movierec_site.ratings.imports_matching import imdb_lookup
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import film_record

PARKED_BELOW = -(2**62)
"""Unmapped ratings keep `movie_id = PARKED_BELOW - id`: unique, and no dataset's movie id."""


@dataclass
class RemapPlan:
    """What publishing a model would do to the site's ratings."""

    dataset: str
    """The new model's dataset."""
    moved: dict[int, int] = field(default_factory=dict)
    """{rating id: the new model's id of its film}, where that differs from the rating's id."""
    kept: list[int] = field(default_factory=list)
    """Ratings of another (or an unnamed) dataset whose id names their film in the new model
    too: they come to record the new model's dataset."""
    unmapped: list[int] = field(default_factory=list)
    """Ratings (in use now) whose film the new model lacks."""
    unchecked: int = 0
    """Ratings that record no film (given before ratings recorded one): left as they are."""
    accounts: set[int] = field(default_factory=set)
    """The accounts whose ratings would be moved or unmapped."""
    restored: int = 0
    """Of `moved`, ratings that were unmapped and get their film back."""

    @property
    def changes_meaning(self) -> bool:
        """Whether ratings in use now would come to mean other films, or none."""
        return len(self.moved) - self.restored > 0 or bool(self.unmapped)


class _FilmFinder:
    """The new model's movie id of a film, by IMDb id, TMDB id, or title and year."""

    def __init__(self, engine: Recommender) -> None:
        self.by_imdb = imdb_lookup(engine)
        self.by_tmdb: dict[int, int] = {}
        self.by_title: dict[tuple[str, int | None], int] = {}
        for movie_id in engine.movie_ids:
            movie, external = engine.movie(movie_id), engine.external_ids(movie_id)
            if external.tmdb_id is not None:
                self.by_tmdb.setdefault(external.tmdb_id, movie_id)
            self.by_title.setdefault((movie.title.casefold(), movie.year), movie_id)

    def find(self, rating: Rating) -> int | None:
        if rating.imdb_id is not None and rating.imdb_id in self.by_imdb:
            return self.by_imdb[rating.imdb_id]
        if rating.tmdb_id is not None and rating.tmdb_id in self.by_tmdb:
            return self.by_tmdb[rating.tmdb_id]
        if rating.title:
            return self.by_title.get((rating.title.casefold(), rating.year))
        return None


def remap_plan(*, engine: Recommender) -> RemapPlan:
    """How the site's ratings fare under the model `engine` serves; changes nothing."""
    plan = RemapPlan(engine.dataset)
    finder: _FilmFinder | None = None
    for rating in Rating.objects.order_by("id").iterator(chunk_size=10_000):
        if not rating.unmapped and rating.dataset and rating.dataset == engine.dataset:
            continue  # the id names the same film, or one the model lacks (then not shown)
        if not (rating.title or rating.imdb_id is not None or rating.tmdb_id is not None):
            plan.unchecked += 1
            continue
        finder = finder or _FilmFinder(engine)
        found = finder.find(rating)
        if found is None:
            if not rating.unmapped:
                plan.unmapped.append(rating.id)
                plan.accounts.add(rating.user_id)
        elif found == rating.movie_id:
            plan.kept.append(rating.id)
        else:
            plan.moved[rating.id] = found
            plan.restored += rating.unmapped
            if not rating.unmapped:
                plan.accounts.add(rating.user_id)
    return plan


def remap_apply(*, plan: RemapPlan, engine: Recommender) -> int:
    """Carry out `plan`: moved ratings take their film's new id, unmapped ones are parked, moved
    and kept ones record their film as `engine` knows it. Returns how many duplicates were dropped
    (an account that had rated the same film under both ids keeps the rating already there)."""
    with transaction.atomic():
        parked = [*plan.moved, *plan.unmapped]
        Rating.objects.filter(id__in=parked).update(movie_id=PARKED_BELOW - F("id"))
        Rating.objects.filter(id__in=plan.unmapped).update(unmapped=True)
        dropped = _move(plan.moved)
        for rating_id, movie_id in [*plan.moved.items(), *_ids_of(plan.kept)]:
            Rating.objects.filter(id=rating_id).update(
                movie_id=movie_id, **film_record(engine, movie_id)
            )
    return dropped


def _ids_of(rating_ids: list[int]) -> list[tuple[int, int]]:
    return list(Rating.objects.filter(id__in=rating_ids).values_list("id", "movie_id"))


def _move(moved: dict[int, int]) -> int:
    """Delete the moved ratings that would duplicate another rating of the same account and
    film (the one there, or a more recent moved one, stays), taking them out of `moved`;
    returns how many went."""
    owners = dict(Rating.objects.filter(id__in=moved).values_list("id", "user_id"))
    taken: dict[int, set[int]] = defaultdict(set)
    staying = Rating.objects.filter(user_id__in=set(owners.values())).exclude(
        Q(id__in=moved) | Q(unmapped=True)
    )
    for user_id, movie_id in staying.values_list("user_id", "movie_id"):
        taken[user_id].add(movie_id)
    duplicates = []
    for rating_id in Rating.objects.filter(id__in=moved).order_by("-updated", "-id").values_list(
        "id", flat=True
    ):
        user_id, movie_id = owners[rating_id], moved.pop(rating_id)
        if movie_id in taken[user_id]:
            duplicates.append(rating_id)
        else:
            taken[user_id].add(movie_id)
            moved[rating_id] = movie_id
    Rating.objects.filter(id__in=duplicates).delete()
    return len(duplicates)
