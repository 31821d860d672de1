"""Importing a rating history from elsewhere: read the file, match its lines to the served
model's films, and plan (`import_plan`, which writes nothing); then, once the person has
confirmed the plan and chosen or skipped each uncertain match, write it whole in one
transaction (`import_apply`) through `services.rating_set`, and report what happened.

A film already rated on this site keeps the newer rating: the file's replaces it only when the
file dates it after the day (UTC) the site's rating was last changed; on the same day, earlier,
or without a date in the file, the site's rating stays (so importing a file twice changes
nothing). An imported rating is dated the moment of the import, as every rating is dated when it
was last changed here: a retrained model folds in the ratings changed since it was trained, and
a backdated one would be missed.

The plan is plain data (`as_data` / `from_data`), so the pending import lives in the person's
session between the upload and the confirmation, never in a file on the server.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from movierec.engine import InvalidRequest
from movierec_site.accounts.models import User
from movierec_site.ratings.imports_matching import film_match, stars_on_scale
from movierec_site.ratings.imports_parsing import FileRating, parse_export
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_set
from movierec_site.serving.engine import current_model


class ImportExpired(InvalidRequest):
    """The pending import was planned against a model no longer served, or there is none."""


class InvalidChoice(InvalidRequest):
    """A choice for an uncertain line that is not one of its candidates."""


@dataclass
class PlannedRating:
    line: int
    named: str
    """The film as the file names it: "Heat (1995)", "movie 42"."""
    given: str
    """The rating as the file gives it: "4.5", "9/10"."""
    stars: float
    """On the model's scale."""
    rated_on: str | None
    """The file's date, YYYY-MM-DD, if it gives one."""
    movie_id: int | None = None
    film: str = ""
    """The matched film as the model names it: "Heat (1995)"."""


@dataclass
class UncertainRating:
    rating: PlannedRating
    reason: str
    candidates: list[dict]
    """[{"movie_id", "label"}] to choose from, best first."""


@dataclass
class SkippedLine:
    line: int
    named: str
    reason: str


@dataclass
class ImportPlan:
    format_name: str
    model: list
    """The identity of the model the lines were matched against (`LoadedModel.identity`)."""
    sure: list[PlannedRating] = field(default_factory=list)
    uncertain: list[UncertainRating] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> "ImportPlan":
        return cls(
            data["format_name"], data["model"],
            [PlannedRating(**entry) for entry in data["sure"]],
            [UncertainRating(PlannedRating(**entry["rating"]), entry["reason"], entry["candidates"])
             for entry in data["uncertain"]],
            [SkippedLine(**entry) for entry in data["skipped"]],
        )


@dataclass
class ImportReport:
    imported: list[dict] = field(default_factory=list)
    """[{"line", "film", "given", "stars"}] newly rated ("given" as the file wrote it, "stars"
    on the model's scale)."""
    updated: list[dict] = field(default_factory=list)
    """[{..., "before"}] whose site rating the file's newer one replaced."""
    kept: list[dict] = field(default_factory=list)
    """[{..., "yours", "reason"}] already rated, the site's rating kept."""
    not_imported: list[dict] = field(default_factory=list)
    """[{"line", "named", "reason"}]: no match, a bad line, skipped, or rated again below."""

    def as_data(self) -> dict:
        return asdict(self)


def import_plan(data: bytes) -> ImportPlan:
    """What importing the export `data` would do under the served model; writes nothing.
    ImportFileError when the file as a whole cannot be read."""
    parsed = parse_export(data)
    loaded = current_model()
    engine, scale = loaded.engine, loaded.engine.rating_scale
    plan = ImportPlan(parsed.format_name, list(loaded.identity))
    plan.skipped = [SkippedLine(bad.line, bad.named, bad.reason) for bad in parsed.bad_lines]
    for rating in parsed.ratings:
        match = film_match(engine, rating)
        planned = _planned(rating, stars_on_scale(rating.stars, scale))
        if match.film is not None:
            planned.movie_id, planned.film = match.film.movie_id, match.film.label
            plan.sure.append(planned)
        elif match.candidates:
            choices = [{"movie_id": c.movie_id, "label": c.label} for c in match.candidates]
            plan.uncertain.append(UncertainRating(planned, match.reason, choices))
        else:
            plan.skipped.append(SkippedLine(rating.line, rating.label, match.reason))
    plan.skipped.sort(key=lambda entry: entry.line)
    return plan


def _planned(rating: FileRating, stars: float) -> PlannedRating:
    rated_on = rating.rated_on.isoformat() if rating.rated_on else None
    return PlannedRating(rating.line, rating.label, rating.given, stars, rated_on)


def import_apply(*, user: User, plan: ImportPlan, choices: dict[int, int | None]) -> ImportReport:
    """Write `plan` for `user`: its sure matches, and of its uncertain ones those `choices`
    ({line: chosen movie id, or None to skip}) picks; all or nothing. ImportExpired when the
    served model is not the one the plan was made with; InvalidChoice for a choice that is
    not one of the line's candidates."""
    loaded = current_model()
    if list(loaded.identity) != list(plan.model):
        raise ImportExpired(
            _("the site started serving another model since the file was read; upload it again")
        )
    report = ImportReport(not_imported=[asdict(line) for line in plan.skipped])
    chosen = list(plan.sure)
    for entry in plan.uncertain:
        pick = _chosen(entry, choices.get(entry.rating.line))
        if pick is None:
            reason = _("skipped: %(reason)s") % {"reason": entry.reason}
            report.not_imported.append(_not_imported(entry.rating, reason))
        else:
            chosen.append(pick)
    with transaction.atomic():
        _write(user, _one_per_film(chosen, report), report)
    report.not_imported.sort(key=lambda entry: entry["line"])
    return report


def _chosen(entry: UncertainRating, movie_id: int | None) -> PlannedRating | None:
    if movie_id is None:
        return None
    for candidate in entry.candidates:
        if candidate["movie_id"] == movie_id:
            return PlannedRating(**{**asdict(entry.rating), "movie_id": movie_id,
                                    "film": candidate["label"]})
    candidates = ", ".join(str(c["movie_id"]) for c in entry.candidates)
    raise InvalidChoice(
        _("line %(line)s: movie %(movie_id)s is not one of its candidates (%(candidates)s); "
          "choose one or skip it")
        % {"line": entry.rating.line, "movie_id": movie_id, "candidates": candidates}
    )


def _one_per_film(chosen: list[PlannedRating], report: ImportReport) -> list[PlannedRating]:
    """One line per film: the most recently dated (the later line on a tie, or without dates);
    the others are reported as not imported."""
    newest: dict[int, PlannedRating] = {}
    for planned in sorted(chosen, key=lambda p: (p.rated_on or "", p.line)):
        earlier = newest.get(planned.movie_id)
        if earlier is not None:
            reason = _("the file rates %(film)s again on line %(line)s") % {
                "film": earlier.film, "line": planned.line}
            report.not_imported.append(_not_imported(earlier, reason))
        newest[planned.movie_id] = planned
    return sorted(newest.values(), key=lambda p: p.line)


def _write(user: User, ratings: list[PlannedRating], report: ImportReport) -> None:
    existing = {
        rating.movie_id: rating
        for rating in Rating.objects.filter(
            user=user, unmapped=False, movie_id__in=[p.movie_id for p in ratings]
        )
    }
    for planned in ratings:
        entry = {"line": planned.line, "film": planned.film, "given": planned.given,
                 "stars": planned.stars}
        before = existing.get(planned.movie_id)
        if before is None:
            rating_set(user=user, movie_id=planned.movie_id, stars=planned.stars)
            report.imported.append(entry)
        elif before.stars == planned.stars:
            report.kept.append({**entry, "yours": before.stars, "reason": _("the same rating")})
        elif planned.rated_on and date.fromisoformat(planned.rated_on) > before.updated.date():
            rating_set(user=user, movie_id=planned.movie_id, stars=planned.stars)
            report.updated.append({**entry, "before": before.stars})
        else:
            changed = before.updated.date().isoformat()
            reason = (_("the file gives no date") if not planned.rated_on
                      else _("yours is newer (changed %(day)s)") % {"day": changed})
            report.kept.append({**entry, "yours": before.stars, "reason": reason})


def _not_imported(planned: PlannedRating, reason: str) -> dict:
    return {"line": planned.line, "named": planned.named, "reason": reason}
