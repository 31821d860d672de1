"""Reasons in words, for the surfaces that speak to people: the command line (to whoever asks
for someone new, about a dataset user in the third person) and the site (to the visitor, or
about a dataset user on that user's page).

The engine gives each recommendation's reason as data (`movierec.engine.Reason`); this is the
one place that says it in English, so both surfaces say the same thing the same way.
"""

from movierec.engine import Reason

OBJECT_PRONOUNS = {"they": "them"}
"""Subjects whose object form differs ("predicted 4 stars for them"); "you" and a noun phrase
("this viewer") read the same in both places."""


def reason_text(reason: Reason, *, who: str = "you") -> str:
    """A `Reason` as a short phrase about `who` the list is for: "because you rated Heat 5
    stars", or, with who="they" or "this viewer", "because they rated Heat 5 stars". `who` is
    the grammatical person of every phrase, chosen here once for all of them."""
    kind = reason.kind
    if kind == "rated_it":
        return f"{who} rated it {_stars(reason.stars)}"
    if kind == "rated_similar":
        return f"because {who} rated {reason.title} {_stars(reason.stars)}"
    if kind == "predicted":
        return f"predicted {reason.stars:.1f} stars for {OBJECT_PRONOUNS.get(who, who)}"
    if kind == "similar_to":
        shared = f": {', '.join(reason.genres)}" if reason.genres else ""
        return f"similar to {reason.title}{shared}"
    if kind == "audience_liked":
        return _audience_liked(reason)
    if kind == "popular_with":
        return f"popular with {reason.group}"
    if kind == "highly_rated":
        if not reason.count:
            return "new in the catalogue"
        noun = "rating" if reason.count == 1 else "ratings"
        return f"highly rated: {reason.stars:.1f} stars from {reason.count:,} {noun}"
    if kind == "widely_liked":
        return _widely_liked(reason)
    raise ValueError(f"no wording for a reason of kind {kind!r}")


def _audience_liked(reason: Reason) -> str:
    """The list is ranked for the movie's audience; the count says how many of them liked this
    one (see `Recommender.also_liked`)."""
    if reason.audience == 1:
        ranked = f"the model's pick for the viewer who likes {reason.title} most"
        return f"{ranked}; they liked it" if reason.count else ranked
    ranked = f"the model's pick for the {reason.audience} viewers who like {reason.title} most"
    return f"{ranked}; {reason.count} of them liked it" if reason.count else ranked


def _widely_liked(reason: Reason) -> str:
    """A pick the new-user head's prior made: liked by many, whatever the person rated."""
    viewers = "viewer" if reason.count == 1 else "viewers"
    return f"a favourite: {reason.count:,} {viewers} gave it {reason.stars:g}+ stars"


def _stars(value: float | None) -> str:
    """4.0 -> "4 stars", 4.5 -> "4.5 stars", 1 -> "1 star"."""
    number = f"{value:g}"
    return f"{number} star" if number == "1" else f"{number} stars"
