"""`{% movie_card card %}`: a card's HTML, rendered once and reused; `{% card_actions card %}`:
its watchlist and "Not interested" buttons.

A card shows only what its `MovieCard` holds (title, poster, reason, stars), so the same card
always renders the same HTML; a movie page's sixteen cards were most of its time. The buttons a
signed-in account sees are forms with this request's CSRF token: they are written per request
(in Python: a template per card would cost more than the rest of the card) and put into the
cached HTML. Only cards with a rating widget are rendered whole every time.
"""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from movierec.engine import RatingScale
from movierec_site.catalog.cards import MovieCard
from movierec_site.catalog.genres import genre_label

register = template.Library()

_END = "</article>"


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
    html = _card_html(card, hide_reason, get_language())
    actions = card_actions(context, card)
    if not actions:
        return html
    end = html.rindex(_END)
    return mark_safe(html[:end] + actions + html[end:])


@register.simple_tag(takes_context=True)
def card_actions(context: template.Context, card: MovieCard) -> SafeString:
    """The watchlist and hide buttons of `card` for the signed-in account (empty otherwise):
    forms that work without JavaScript and come back to this page. A rated movie has neither
    (it has been seen); a hidden one offers only "Unhide"."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or card.your_stars is not None:
        return mark_safe("")
    token, here = str(context.get("csrf_token", "")), request.get_full_path()
    watchlist = _action_url("lists:watchlist", card.movie_id)
    hide = _action_url("lists:hide", card.movie_id)
    if card.hidden:
        forms = [_form(hide, token, here, 'name="undo" value="1" class="chip on"',
                       _("Let it back into your lists"), _("Unhide"))]
    else:
        forms = [
            _form(watchlist, token, here,
                  'name="remove" value="1" class="chip on" aria-pressed="true"',
                  _("On your watchlist: take it off"), "✓ " + _("Watchlist"))
            if card.on_watchlist else
            _form(watchlist, token, here, 'class="chip" aria-pressed="false"',
                  _("Add to your watchlist"), "+ " + _("Watchlist")),
            _form(hide, token, here, 'class="chip"',
                  _("Not interested: never show it in my lists"), _("Not interested")),
        ]
    return format_html('<div class="list-actions">{}</div>', mark_safe("".join(forms)))


def _action_url(name: str, movie_id: int) -> str:
    """reverse(name, args=[movie_id]), reversed once per name and script prefix: a page holds a
    hundred cards, and reverse() cost more than the rest of their buttons."""
    before, after = _action_url_parts(name, get_script_prefix())
    return f"{before}{movie_id}{after}"


@lru_cache(maxsize=16)
def _action_url_parts(name: str, script_prefix: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[0]).rpartition("/0/")
    return before + "/", "/" + after


def _form(action: str, token: str, here: str, attributes: str, title: str, label: str) -> str:
    """A POST form of one button; `attributes` is fixed markup, `title` and `label` are text
    (a translation is escaped like any other)."""
    return format_html(
        '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="{}"><input type="hidden" name="next" value="{}">'
        '<button type="submit" {} title="{}">{}</button></form>',
        action, token, here, mark_safe(attributes), title, label,
    )


# Unlike serving.memo, no key per model: the card holds everything its HTML shows but the words
# of the template around it, which are the active language's (`language` keys the cache only).
@lru_cache(maxsize=20_000)
def _card_html(card: MovieCard, hide_reason: bool, language: str | None) -> SafeString:
    return mark_safe(get_template("_card.html").render({"card": card, "hide_reason": hide_reason}))


@register.filter
def genre_name(name: str) -> str:
    """A genre as the reader reads it (the data and URLs keep the release's English name)."""
    return genre_label(name)


@register.filter
def genre_names(names: list[str]) -> list[str]:
    return [genre_label(name) for name in names]


@register.filter
def off_scale(stars: float | None, scale: RatingScale | None) -> str:
    """Stars the model's widget cannot show, in words ("3.5 stars (this model rates whole
    stars)"); empty when there are none or the widget shows them. A rating given under a model
    of another scale keeps its true value rather than being lit as the nearest stars."""
    if stars is None or scale is None or scale.allows(stars):
        return ""
    numbers = {"stars": f"{stars:g}", "step": f"{scale.step:g}", "low": f"{scale.low:g}",
               "high": f"{scale.high:g}"}
    if not scale.low <= stars <= scale.high:
        return _("%(stars)s stars (this model rates %(low)s to %(high)s stars)") % numbers
    if scale.step == 1:
        return _("%(stars)s stars (this model rates whole stars)") % numbers
    return _("%(stars)s stars (this model rates in steps of %(step)s stars)") % numbers
