"""Personal pages: the welcome, "for you", and dataset users shown as demo profiles."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from movierec.engine import Filters
from movierec_site.catalog.browsing import PAGE_SIZE, browse_get, pager_get
from movierec_site.catalog.cards import movie_cards
from movierec_site.catalog.selectors import genre_list, movie_browse_list
from movierec_site.converters import parse_dataset_id
from movierec_site.ratings.selectors import rating_count, rating_scale_get, rating_stars_map
from movierec_site.recommendations.selectors import (
    account_recommendation_list,
    dataset_user_profile_get,
    dataset_user_recommendation_list,
    demo_user_list,
    onboarding_movie_list,
    people_like_you_words,
    viewer_get,
)

FOR_YOU_POOL = 96
"""Picks a For you page sorts and pages through: four pages."""
FOR_YOU_SORTS = ["for_you", "predicted", "most_rated", "newest", "title"]
ONBOARDING_LENGTH = 16
PROFILE_RATINGS = 24
PROFILE_RECOMMENDATIONS = 12
DEMO_USERS = 12


def _for_you_context(request: HttpRequest) -> dict:
    """The account's picks, sorted and filtered as asked, a page at a time; before its first
    rating, starter picks and what they are based on."""
    user = request.user
    viewer = viewer_get(user=user)
    count = rating_count(user=user)
    browse = browse_get(request, sorts=FOR_YOU_SORTS, genres=genre_list())
    picks = account_recommendation_list(user=user, n=FOR_YOU_POOL, filters=browse.filters,
                                        viewer=viewer)
    if browse.sort == "predicted":
        picks.sort(key=lambda pick: -pick.predicted_rating)
    elif browse.sort != "for_you":
        by_id = {pick.movie_id: pick for pick in picks}
        order = movie_browse_list(order=browse.sort, filters=Filters(only=tuple(by_id)),
                                  limit=max(len(by_id), 1))
        picks = [by_id[movie.movie_id] for movie in order if movie.movie_id in by_id]
    like_you = [] if count else people_like_you_words(user=user)
    page = picks[browse.offset:browse.offset + PAGE_SIZE]
    return {
        "rating_count": count,
        "cards": movie_cards(page, viewer=viewer),
        "like_you": like_you,
        "browse": browse,
        "pager": pager_get(browse, len(picks)),
    }


@require_safe
@never_cache
def for_you(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "recommendations/for_you_anonymous.html")
    context = _for_you_context(request)
    context["to_rate"] = movie_cards(onboarding_movie_list(user=request.user, n=8),
                                     viewer=viewer_get(user=request.user))
    context["scale"] = rating_scale_get()
    return render(request, "recommendations/for_you.html", context)


@require_safe
@never_cache
@login_required
def for_you_list(request: HttpRequest) -> HttpResponse:
    """The recommendation grid alone, for the query string's sort, filters and page: pages
    reload it after each rating."""
    return render(request, "recommendations/_for_you_list.html", _for_you_context(request))


@require_safe
@never_cache
@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """A new account rates a few well-known movies; its recommendations appear beside them."""
    to_rate = onboarding_movie_list(user=request.user, n=ONBOARDING_LENGTH)
    context = {
        **_for_you_context(request),
        "to_rate": movie_cards(to_rate, viewer=viewer_get(user=request.user)),
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
        "picks": movie_cards(picks, your_stars=stars, about_someone_else=True,
                             viewer=viewer_get(user=request.user)),
    }
    return render(request, "recommendations/dataset_user.html", context)
