"""/api/me/ratings: the signed-in account's ratings. Session authentication, CSRF enforced."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from movierec_site import api_shared
from movierec_site.api_shared import ErrorOut, MovieId
from movierec_site.ratings.models import Rating
from movierec_site.ratings.schemas import RatingIn, RatingOut, StarsIn
from movierec_site.ratings.selectors import rating_get, rating_list
from movierec_site.ratings.services import rating_create, rating_remove, rating_set

router = Router(tags=["my ratings"], auth=django_auth)

# Every route needs a session (401), and one that writes, a CSRF token (403).
ERRORS = {401: ErrorOut, 403: ErrorOut, **api_shared.ERRORS}


def _missing(movie_id: int) -> Status:
    return Status(404, {"detail": f"you have not rated movie {movie_id}"})


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
        return Status(409, {"detail": f"movie {payload.movie_id} is already rated; PUT changes it"})
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
