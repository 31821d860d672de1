"""`{% search_placeholder %}`: the search box's hint, with titles the served model has."""

from django import template
from django.utils.translation import gettext as _

from movierec.errors import MovieRecError
from movierec_site.catalog.selectors import search_example_list

register = template.Library()


@register.simple_tag
def search_placeholder() -> str:
    """"Search movies: Star Wars, Contact…" from the most rated movies of the served model;
    without a model (every page shows the box, the "no model" page too) no examples."""
    try:
        examples = search_example_list()
    except MovieRecError:
        examples = []
    if not examples:
        return _("Search movies…")
    return _("Search movies: %(examples)s…") % {"examples": ", ".join(examples)}
