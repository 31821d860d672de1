"""`{% movie_card card %}`: a card's HTML, rendered once and reused.

A card shows only what its `MovieCard` holds (title, poster, reason, your stars), so the same
card always renders the same HTML; a movie page's sixteen cards were most of its time. Cards
with a rating widget carry a per-request CSRF token and are rendered every time.
"""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from movierec.engine import RatingScale
from movierec_site.catalog.cards import MovieCard

register = template.Library()


@register.simple_tag(takes_context=True)
def movie_card(
    context: template.Context,
    card: MovieCard,
    rate: bool = False,
    hide_reason: bool = False,
) -> SafeString:
    if rate:
        with context.push(card=card, rate=True, hide_reason=hide_reason):
            return mark_safe(get_template("_card.html").template.render(context))
    return _card_html(card, hide_reason)


# Unlike serving.memo, no key per model: the card holds everything its HTML shows.
@lru_cache(maxsize=20_000)
def _card_html(card: MovieCard, hide_reason: bool) -> SafeString:
    return mark_safe(get_template("_card.html").render({"card": card, "hide_reason": hide_reason}))


@register.filter
def off_scale(stars: float | None, scale: RatingScale | None) -> str:
    """Stars the model's widget cannot show, in words ("3.5 stars (this model rates whole
    stars)"); empty when there are none or the widget shows them. A rating given under a model
    of another scale keeps its true value rather than being lit as the nearest stars."""
    if stars is None or scale is None or scale.allows(stars):
        return ""
    if scale.low <= stars <= scale.high:
        steps = "whole stars" if scale.step == 1 else f"in steps of {scale.step:g} stars"
        return f"{stars:g} stars (this model rates {steps})"
    return f"{stars:g} stars (this model rates {scale.low:g} to {scale.high:g} stars)"
