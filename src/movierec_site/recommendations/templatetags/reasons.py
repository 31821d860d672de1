"""Reasons as a page about someone else says them: the engine speaks to "you"."""

import re

from django import template

register = template.Library()

_SECOND_PERSON = (
    (re.compile(r"^because you rated "), "because they rated "),
    (re.compile(r"^you rated it "), "they rated it "),
    (re.compile(r" for you$"), " for them"),
)


@register.filter
def third_person(reason: str) -> str:
    """ "because you rated Heat 5 stars" -> "because they rated Heat 5 stars"."""
    for pattern, replacement in _SECOND_PERSON:
        reason = pattern.sub(replacement, reason)
    return reason
