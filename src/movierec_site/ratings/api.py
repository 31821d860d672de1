"""/api/me/ratings: the signed-in account's ratings. Session authentication, CSRF enforced."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from movierec_site import api_shared
from movierec_site.api_shared import ErrorOut, MovieId
from movierec_site.ratings.history_export import rating_history_csv, rating_history_filename
from movierec_site.ratings.imports import import_apply
from movierec_site.ratings.imports_forms import ImportUploadForm
from movierec_site.ratings.imports_pending import (
    import_report_set,
    pending_import_get,
    pending_import_set,
)
from movierec_site.ratings.imports_schemas import ImportChoicesIn, ImportPlanOut, ImportReportOut
from movierec_site.ratings.models import Rating
from movierec_site.ratings.schemas import RatingIn, RatingOut, StarsIn
from movierec_site.ratings.selectors import rating_get, rating_list
from movierec_site.ratings.services import rating_create, rating_remove, rating_set

router = Router(tags=["my ratings"], auth=django_auth)

# Every route needs a session (401), and one that writes, a CSRF token (403).
ERRORS = {401: ErrorOut, 403: ErrorOut, **api_shared.ERRORS}
ExportFile = File(..., description="The export's CSV file")


def _missing(movie_id: int) -> Status:
    not_rated = _("you have not rated movie %(movie_id)s") % {"movie_id": movie_id}
    return Status(404, {"detail": not_rated})


@router.get("/me/ratings", response={200: list[RatingOut], **ERRORS}, summary="My ratings")
def list_ratings(request: HttpRequest):
    """Every rating of the signed-in account, most recently changed first."""
    return rating_list(user=request.user)


@router.post(
    "/me/ratings", response={201: RatingOut, 409: ErrorOut, **ERRORS}, summary="Rate a movie"
)
def create_rating(request: HttpRequest, payload: RatingIn):
    """Create a rating; 409 when the movie is already rated (PUT changes it)."""
    rating = rating_create(user=request.user, movie_id=payload.movie_id, stars=payload.stars)
    if rating is None:
        already = _("movie %(movie_id)s is already rated; PUT changes it")
        return Status(409, {"detail": already % {"movie_id": payload.movie_id}})
    return Status(201, rating)


@router.get(
    "/me/ratings/{movie_id}", response={200: RatingOut, **ERRORS}, summary="My rating of a movie"
)
def get_rating(request: HttpRequest, movie_id: int = MovieId):
    rating: Rating | None = rating_get(user=request.user, movie_id=movie_id)
    return rating if rating is not None else _missing(movie_id)


@router.put("/me/ratings/{movie_id}", response={200: RatingOut, **ERRORS}, summary="Set my rating")
def set_rating(request: HttpRequest, payload: StarsIn, movie_id: int = MovieId):
    """Create or change the rating of a movie."""
    return rating_set(user=request.user, movie_id=movie_id, stars=payload.stars)


@router.delete("/me/ratings/{movie_id}", response={204: None, **ERRORS}, summary="Remove my rating")
def delete_rating(request: HttpRequest, movie_id: int = MovieId):
    removed = rating_remove(user=request.user, movie_id=movie_id)
    return Status(204, None) if removed else _missing(movie_id)


@router.post(
    "/me/imports", response={200: ImportPlanOut, **ERRORS}, summary="Read a rating export"
)
def upload_import(request: HttpRequest, file: UploadedFile = ExportFile):
    """Read a Letterboxd ratings.csv, an IMDb ratings export or a MovieLens-style ratings.csv
    (multipart, field `file`) and match its lines to the served model's films; writes no
    rating. The plan waits in the session for `POST /me/imports/confirm`."""
    form = ImportUploadForm(files={"file": file})
    if not form.is_valid():
        return Status(400, {"detail": " ".join(form.errors["file"])})
    pending_import_set(request.session, form.plan)
    return form.plan.as_data()


@router.post(
    "/me/imports/confirm",
    response={200: ImportReportOut, **ERRORS},
    summary="Confirm the read export",
)
def confirm_import(request: HttpRequest, payload: ImportChoicesIn):
    """Write the waiting import's sure matches and the uncertain ones `choices` picks, all or
    nothing; a film already rated keeps the newer rating (the file's when it dates it after
    the day yours was last changed). Answers what was imported, updated, kept and not."""
    plan = pending_import_get(request.session)
    if plan is None:
        return Status(400, {"detail": _("no import is waiting; POST a file to /api/me/imports")})
    report = import_apply(user=request.user, plan=plan, choices=payload.choices)
    import_report_set(request.session, report)
    return report.as_data()


@router.get("/me/ratings.csv", response={200: None, **ERRORS}, summary="Export my ratings")
def export_ratings(request: HttpRequest):
    """Every rating as CSV: movie_id, title, year, imdb_id, stars, date_rated (UTC day)."""
    response = HttpResponse(rating_history_csv(user=request.user), content_type="text/csv")
    filename = rating_history_filename(user=request.user)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
