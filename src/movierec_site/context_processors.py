"""The site's fixed links, every app's, for every page; reversed once per process rather than
per request: a page header holds a dozen, and reverse() cost a fifth of a movie page's time."""

from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

NAMES = {
    "home": "catalog:home",
    "search": "catalog:search",
    "for_you": "recommendations:for_you",
    "welcome": "recommendations:welcome",
    "demo_users": "recommendations:demo_users",
    "my_ratings": "ratings:mine",
    "watchlist": "lists:watchlist_page",
    "hidden": "lists:hidden_page",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "signup": "accounts:signup",
    "onboarding": "accounts:onboarding",
    "account": "accounts:profile",
    "api_docs": "api:openapi-view",
}


@cache
def _links(script_prefix: str) -> dict[str, str]:
    links = {key: reverse(name) for key, name in NAMES.items()}
    links["genre_prefix"] = reverse("catalog:genre", args=["-"]).removesuffix("-/")
    return links


def site_links(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"links": _links(get_script_prefix())}
