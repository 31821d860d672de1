"""Reasons in words, for the surfaces that speak to people: the command line (to whoever asks
for someone new, about a dataset user in the third person) and the site (to the visitor, or
about a dataset user on that user's page).

The engine gives each recommendation's reason as data (`movierec.engine.Reason`); this is the
one place that words it, so both surfaces say the same thing the same way. The phrases are
English, marked with `gettext_noop` so that the site's translation catalogue collects them; the
site passes its `gettext` as `reason_text`'s `translate` and shows them in the visitor's
language. The command line passes nothing and speaks English.
"""

from collections.abc import Callable
from typing import Literal, get_args

from movierec.engine import Reason

Person = Literal["you", "they", "this viewer"]
"""Whom a list is for, as its reasons speak of them: the visitor; a dataset user on the command
line; a dataset user on that user's page of the site."""


def gettext_noop(text: str) -> str:
    """Marks `text` as a phrase to translate and returns it as it is. gettext's tools (Django's
    makemessages) collect the strings passed to a function of this name; the translation happens
    where the phrase is shown (`reason_text`'s `translate`), since this package has no Django."""
    return text


# Every phrase is whole, once per person: languages put the person in different places and may
# change other words with it, so no phrase is a pronoun put into a shared remainder. Singular
# and plural are whole phrases too ("1 star", "4.5 stars"): English needs two forms, and the
# site's other language (Chinese) one, so the pair covers both.
RATED_IT: dict[Person, tuple[str, str]] = {
    "you": (gettext_noop("you rated it %(stars)s star"),
            gettext_noop("you rated it %(stars)s stars")),
    "they": (gettext_noop("they rated it %(stars)s star"),
             gettext_noop("they rated it %(stars)s stars")),
    "this viewer": (gettext_noop("this viewer rated it %(stars)s star"),
                    gettext_noop("this viewer rated it %(stars)s stars")),
}
RATED_SIMILAR: dict[Person, tuple[str, str]] = {
    "you": (gettext_noop("because you rated %(title)s %(stars)s star"),
            gettext_noop("because you rated %(title)s %(stars)s stars")),
    "they": (gettext_noop("because they rated %(title)s %(stars)s star"),
             gettext_noop("because they rated %(title)s %(stars)s stars")),
    "this viewer": (gettext_noop("because this viewer rated %(title)s %(stars)s star"),
                    gettext_noop("because this viewer rated %(title)s %(stars)s stars")),
}
PREDICTED: dict[Person, str] = {
    "you": gettext_noop("predicted %(stars)s stars for you"),
    "they": gettext_noop("predicted %(stars)s stars for them"),
    "this viewer": gettext_noop("predicted %(stars)s stars for this viewer"),
}
HIGHLY_RATED = (gettext_noop("highly rated: %(stars)s stars from %(count)s rating"),
                gettext_noop("highly rated: %(stars)s stars from %(count)s ratings"))
WIDELY_LIKED = (gettext_noop("a favourite: %(count)s viewer gave it %(stars)s+ stars"),
                gettext_noop("a favourite: %(count)s viewers gave it %(stars)s+ stars"))


def reason_text(
    reason: Reason,
    *,
    who: Person = "you",
    translate: Callable[[str], str] | None = None,
) -> str:
    """A `Reason` as a short phrase about `who` the list is for: "because you rated Heat 5
    stars", or, with who="they" or "this viewer", "because they rated Heat 5 stars". `who` is
    the grammatical person of every phrase, chosen here once for all of them. `translate` (the
    site's gettext) turns each English phrase into the reader's language before the title and
    numbers go in; without it the phrase is English."""
    if who not in get_args(Person):
        raise ValueError(f"no wording about {who!r}: who must be one of {get_args(Person)}")

    def say(phrase: str, **values: object) -> str:
        worded = translate(phrase) if translate else phrase
        # A phrase without placeholders is left as translated: a "%" in it is just a sign.
        return worded % values if values else worded

    kind = reason.kind
    if kind == "rated_it":
        stars = _number(reason.stars)
        return say(_one_or_many(RATED_IT[who], stars == "1"), stars=stars)
    if kind == "rated_similar":
        stars = _number(reason.stars)
        return say(_one_or_many(RATED_SIMILAR[who], stars == "1"), title=reason.title,
                   stars=stars)
    if kind == "predicted":
        return say(PREDICTED[who], stars=f"{reason.stars:.1f}")
    if kind == "similar_to":
        if reason.genres:
            return say(gettext_noop("similar to %(title)s: %(genres)s"), title=reason.title,
                       genres=", ".join(reason.genres))
        return say(gettext_noop("similar to %(title)s"), title=reason.title)
    if kind == "audience_liked":
        return say(_audience_liked(reason), title=reason.title, audience=reason.audience,
                   count=reason.count)
    if kind == "popular_with":
        return say(gettext_noop("popular with %(group)s"), group=reason.group)
    if kind == "highly_rated":
        if not reason.count:
            return say(gettext_noop("new in the catalogue"))
        return say(_one_or_many(HIGHLY_RATED, reason.count == 1), stars=f"{reason.stars:.1f}",
                   count=f"{reason.count:,}")
    if kind == "widely_liked":
        # A pick the new-user head's prior made: liked by many, whatever the person rated.
        return say(_one_or_many(WIDELY_LIKED, reason.count == 1), count=f"{reason.count:,}",
                   stars=f"{reason.stars:g}")
    raise ValueError(f"no wording for a reason of kind {kind!r}")


def _audience_liked(reason: Reason) -> str:
    """The list is ranked for the movie's audience; the count says how many of them liked this
    one (see `Recommender.also_liked`)."""
    if reason.audience == 1:
        if reason.count:
            return gettext_noop("the model's pick for the viewer who likes %(title)s most; "
                                "they liked it")
        return gettext_noop("the model's pick for the viewer who likes %(title)s most")
    if reason.count:
        return gettext_noop("the model's pick for the %(audience)s viewers who like %(title)s "
                            "most; %(count)s of them liked it")
    return gettext_noop("the model's pick for the %(audience)s viewers who like %(title)s most")


def _number(stars: float | None) -> str:
    """4.0 -> "4", 4.5 -> "4.5"."""
    return f"{stars:g}"


def _one_or_many(forms: tuple[str, str], one: bool) -> str:
    """The singular phrase of `forms` for exactly one ("1 star"), else the plural."""
    return forms[0] if one else forms[1]
