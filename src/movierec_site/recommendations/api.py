"""/api/users/{id}/recommendations and /api/me/recommendations."""

from django.http import HttpRequest
from ninja import Path, Router
from ninja.security import django_auth

from movierec_site.api_shared import ERRORS, Count, ErrorOut
from movierec_site.catalog.cards import movie_payloads
from movierec_site.catalog.schemas import RecommendationOut
from movierec_site.recommendations.selectors import (
    account_recommendation_list,
    dataset_user_recommendation_list,
)

router = Router(tags=["recommendations"])


@router.get(
    "/users/{user_id}/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    summary="For a dataset user",
)
def for_dataset_user(
    request: HttpRequest,
    user_id: int = Path(..., ge=1, le=2**31 - 1, description="The dataset's user id"),
    n: int = Count,
):
    """The movies the model scores highest for a user of the training data, never one they
    rated, each with a reason (about "this viewer")."""
    picks = dataset_user_recommendation_list(user_id=user_id, n=n)
    return movie_payloads(picks, about_someone_else=True)


@router.get(
    "/me/recommendations",
    response={200: list[RecommendationOut], 401: ErrorOut, **ERRORS},
    auth=django_auth,
    summary="For me",
)
def for_me(request: HttpRequest, n: int = Count):
    """Recommendations from the signed-in account's ratings, never a movie it hid; they change
    with every rating.
    Before the first: the best-rated movies, or what people of the account's age group, gender
    and occupation like, where it gave them and the model uses them."""
    return movie_payloads(account_recommendation_list(user=request.user, n=n))
