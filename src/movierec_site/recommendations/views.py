"""Personal pages: the welcome, "for you", and dataset users shown as demo profiles."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from movierec_site.catalog.cards import movie_cards
from movierec_site.converters import parse_dataset_id
from movierec_site.ratings.selectors import rating_count, rating_scale_get, rating_stars_map
from movierec_site.recommendations.selectors import (
    account_recommendation_list,
    dataset_user_profile_get,
    dataset_user_recommendation_list,
    demo_user_list,
    onboarding_movie_list,
    people_like_you_words,
)

FOR_YOU_LENGTH = 24
ONBOARDING_LENGTH = 16
PROFILE_RATINGS = 24
PROFILE_RECOMMENDATIONS = 12
DEMO_USERS = 12


def _for_you_context(request: HttpRequest) -> dict:
    """The account's picks; before its first rating, starter picks and what they are based on."""
    count = rating_count(user=request.user)
    picks = account_recommendation_list(user=request.user, n=FOR_YOU_LENGTH)
    like_you = [] if count else people_like_you_words(user=request.user)
    return {"rating_count": count, "cards": movie_cards(picks), "like_you": like_you}


@require_safe
@never_cache
def for_you(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "recommendations/for_you_anonymous.html")
    context = _for_you_context(request)
    context["to_rate"] = movie_cards(onboarding_movie_list(user=request.user, n=8))
    context["scale"] = rating_scale_get()
    return render(request, "recommendations/for_you.html", context)


@require_safe
@never_cache
@login_required
def for_you_list(request: HttpRequest) -> HttpResponse:
    """The recommendation grid alone: pages reload it after each rating."""
    return render(request, "recommendations/_for_you_list.html", _for_you_context(request))


@require_safe
@never_cache
@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """A new account rates a few well-known movies; its recommendations appear beside them."""
    to_rate = onboarding_movie_list(user=request.user, n=ONBOARDING_LENGTH)
    context = {
        **_for_you_context(request),
        "to_rate": movie_cards(to_rate),
        "scale": rating_scale_get(),
    }
    return render(request, "recommendations/welcome.html", context)


@require_safe
def demo_users(request: HttpRequest) -> HttpResponse:
    wanted = parse_dataset_id(request.GET.get("id", ""))
    if wanted is not None:
        return redirect("recommendations:dataset_user", user_id=wanted)
    return render(
        request, "recommendations/demo_users.html", {"people": demo_user_list(n=DEMO_USERS)}
    )


@require_safe
def dataset_user(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = dataset_user_profile_get(user_id=user_id, n=PROFILE_RATINGS)
    picks = dataset_user_recommendation_list(user_id=user_id, n=PROFILE_RECOMMENDATIONS)
    rated = [movie for movie, _ in profile.ratings]
    stars = rating_stars_map(user=request.user, movie_ids=[m.movie_id for m in rated + picks])
    context = {
        "profile": profile,
        "rated": list(zip(movie_cards(rated), [s for _, s in profile.ratings], strict=True)),
        "picks": movie_cards(picks, your_stars=stars, about_someone_else=True),
    }
    return render(request, "recommendations/dataset_user.html", context)
