"""Which film of the served model a line of an imported export means, and its stars on the
model's scale.

Matching, in order:
1. a MovieLens-style line's movieId: the film with that id, when the model has it;
2. an IMDb line's Const (tt id): the film with that IMDb id, when the release links ids;
3. the title and year (Letterboxd, and IMDb lines whose id the model lacks):
   - sure: exactly one film whose whole title (or its title before an alternative title in
     brackets) is the file's, case, accents and punctuation aside, and whose year is the file's
     (looked up in an index built once per model, as a fuzzy search of a large catalogue costs
     tens of milliseconds a line);
   otherwise with the engine's title search (a leading "The" aside; typos tolerated):
   - sure: exactly one film whose whole title matches and whose year is the file's;
   - uncertain, for the person to confirm or skip: several such films; a whole-title match a
     year off, or of a film without a year; a line without a year; or a title matched in part
     (every word of the file's title found in the film's, whole, as the start of a word, or an
     edit away), the year equal or a year off; up to five candidates are offered;
   - no match: no film's title matches even in part within a year.
IMDb lines of TV series and episodes whose id the model lacks are not searched by title.

Stars: the file's rating out of five (IMDb's 1-10 halved: 7 -> 3.5) goes to the nearest value
of the model's scale, a tie going up: on 1-5 whole stars 3.5 -> 4 and 0.5 -> 1; on 0.5-5 half
stars it stays as it is.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from movierec.engine import InvalidRequest, RatingScale, Recommender
from movierec_site.ratings.imports_parsing import FileRating
from movierec_site.serving.memo import memoized

WHOLE_TITLE = 1.0
"""The search's match level of a title matched whole (article aside)."""
PARTIAL_TITLE = 0.7
"""The weakest level still offered: every word found, one of them a letter off."""
CANDIDATES = 5
SEARCHED = 10


@dataclass(frozen=True)
class Candidate:
    movie_id: int
    title: str
    year: int | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True)
class Match:
    """A sure film, or candidates to choose from, or neither; `reason` says why when not sure."""

    film: Candidate | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""


def stars_on_scale(stars: float, scale: RatingScale) -> float:
    """Stars out of five as the nearest value the model's scale allows, a tie going up (3.5 is
    4 on a whole-star scale); values below the scale's lowest become its lowest (0.5 -> 1)."""
    steps = int((stars - scale.low) / scale.step + 0.5 + 1e-9)
    return round(min(max(scale.low + steps * scale.step, scale.low), scale.high), 3)


def film_match(engine: Recommender, rating: FileRating) -> Match:
    """The film of `engine`'s model that `rating` means, as sure as the file lets it be."""
    if rating.movie_id is not None:
        if engine.knows_movie(rating.movie_id):
            return Match(_candidate(engine, rating.movie_id))
        return Match(reason=_("movie id %(movie_id)s is not in this model's catalogue")
                     % {"movie_id": rating.movie_id})
    if rating.imdb_id is not None:
        movie_id = imdb_lookup(engine).get(rating.imdb_id)
        if movie_id is not None:
            return Match(_candidate(engine, movie_id))
        if rating.series:
            return Match(reason=_("a TV series or episode; this catalogue has films only"))
    return _title_match(engine, rating.title, rating.year)


def imdb_lookup(engine: Recommender) -> dict[int, int]:
    """{IMDb id: movie id} of every film of the model whose release links one; built once per
    model (the first id wins where a release links one IMDb id to two films)."""

    def build() -> dict[int, int]:
        lookup: dict[int, int] = {}
        for movie_id in engine.movie_ids:
            imdb_id = engine.external_ids(movie_id).imdb_id
            if imdb_id is not None:
                lookup.setdefault(imdb_id, movie_id)
        return lookup

    return memoized(engine, "imports-imdb-lookup", build)


def title_lookup(engine: Recommender) -> dict[tuple[str, int | None], list[int]]:
    """{(folded title, year): movie ids} of every film of the model, under its whole title and
    under its title before an alternative one in brackets ("Amelie (Fabuleux destin d'Amélie
    Poulain, Le)" is also "amelie"); built once per model."""

    def build() -> dict[tuple[str, int | None], list[int]]:
        lookup: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for movie_id in engine.movie_ids:
            movie = engine.movie(movie_id)
            for name in {_folded(movie.title), _folded(movie.title.split(" (")[0])} - {""}:
                lookup[(name, movie.year)].append(movie_id)
        return dict(lookup)

    return memoized(engine, "imports-title-lookup", build)


def _folded(title: str) -> str:
    """"Amélie!" -> "amelie": case, accents and punctuation aside."""
    letters = unicodedata.normalize("NFKD", title)
    plain = "".join(letter for letter in letters if not unicodedata.combining(letter))
    return re.sub(r"[\W_]+", " ", plain.casefold()).strip()


def _candidate(engine: Recommender, movie_id: int) -> Candidate:
    movie = engine.movie(movie_id)
    return Candidate(movie.movie_id, movie.title, movie.year)


def _title_match(engine: Recommender, title: str, year: int | None) -> Match:
    named = f"{title} ({year})" if year else title
    same = title_lookup(engine).get((_folded(title), year), []) if year else []
    if len(same) == 1:
        return Match(_candidate(engine, same[0]))
    try:
        hits = engine.search(title, SEARCHED)
    except InvalidRequest:  # a title of only punctuation: nothing to search for
        hits = []
    near = [
        hit for hit in hits
        if hit.match >= PARTIAL_TITLE
        and (year is None or hit.year is None or abs(hit.year - year) <= 1)
    ]
    if not near:
        return Match(reason=_("no film of this model is called %(named)s") % {"named": named})
    exact = [hit for hit in near if hit.match >= WHOLE_TITLE and year and hit.year == year]
    candidates = tuple(Candidate(hit.movie_id, hit.title, hit.year) for hit in near[:CANDIDATES])
    if len(exact) == 1:
        return Match(Candidate(exact[0].movie_id, exact[0].title, exact[0].year))
    if len(exact) > 1:
        reason = _("several films are called %(named)s") % {"named": named}
        return Match(candidates=candidates, reason=reason)
    if year is None:
        reason = _("the file gives no year to tell films apart")
        return Match(candidates=candidates, reason=reason)
    whole = [hit for hit in near if hit.match >= WHOLE_TITLE]
    if any(hit.year is not None for hit in whole):
        reason = _("the title matches, the year differs by one")
        return Match(candidates=candidates, reason=reason)
    if whole:
        reason = _("the title matches; this model gives no year")
        return Match(candidates=candidates, reason=reason)
    return Match(candidates=candidates, reason=_("the title matches only in part"))
