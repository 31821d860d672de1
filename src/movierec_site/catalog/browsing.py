"""Sort, filters and pages of a browsable list (a genre, My ratings, For you), read from the
query string.

A page offers the sorts that make sense for it; a value that is no choice or out of range is
ignored with a message on the form (the list still shows, with the defaults), never an error
page. The filters become the engine's `Filters`; pages are numbered from 1.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movierec.engine import Filters
from movierec_site.catalog.genres import genre_label

PAGE_SIZE = 24
YEARS = (1870, 2100)
"""The years a filter may name: from the first films to well past any release."""
SORT_LABELS = {
    "for_you": gettext_lazy("Picked for you"),
    "predicted": gettext_lazy("Best predicted for you"),
    "best_rated": gettext_lazy("Best rated"),
    "date_rated": gettext_lazy("Date rated"),
    "your_stars": gettext_lazy("Your stars"),
    "most_rated": gettext_lazy("Most rated"),
    "newest": gettext_lazy("Newest"),
    "title": gettext_lazy("Title"),
}


class BrowseForm(forms.Form):
    sort = forms.ChoiceField(required=False)
    genre = forms.ChoiceField(required=False)
    year_min = forms.IntegerField(required=False, min_value=YEARS[0], max_value=YEARS[1],
                                  label=gettext_lazy("From year"))
    year_max = forms.IntegerField(required=False, min_value=YEARS[0], max_value=YEARS[1],
                                  label=gettext_lazy("To year"))
    min_ratings = forms.IntegerField(required=False, min_value=0, max_value=10**9,
                                     label=gettext_lazy("At least … ratings"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def __init__(self, data: object, *, sorts: list[str], genres: list[str]) -> None:
        super().__init__(data)
        self.fields["sort"].choices = [(name, SORT_LABELS[name]) for name in sorts]
        self.fields["genre"].choices = [("", _("Any genre")),
                                        *((name, genre_label(name)) for name in genres)]

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error("year_max", _("the year range %(low)s-%(high)s is empty")
                           % {"low": low, "high": high})
        return cleaned


@dataclass(frozen=True)
class Browse:
    """What a request asked to see of a list."""

    form: BrowseForm
    sort: str
    filters: Filters
    page: int
    query: dict[str, str] = field(default_factory=dict)
    """The valid query parameters but the page, for the pager's links."""

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def filtered(self) -> bool:
        return not self.filters.is_empty

    def page_url(self, page: int) -> str:
        return "?" + urlencode({**self.query, "page": page})


def browse_get(request: HttpRequest, *, sorts: list[str], genres: list[str],
               genre: str | None = None) -> Browse:
    """The sort, filters and page asked for; `sorts[0]` is the default sort; `genre` fixes the
    genre (a genre page), else the form offers `genres`."""
    form = BrowseForm(request.GET, sorts=sorts, genres=[] if genre else genres)
    form.is_valid()
    # Each field that failed falls back to its default; the form shows why.
    values = {name: value for name, value in form.cleaned_data.items()
              if name not in form.errors and value not in (None, "")}
    chosen_genre = genre or values.get("genre")
    filters = Filters(
        genres=(chosen_genre,) if chosen_genre else (),
        year_min=values.get("year_min"),
        year_max=values.get("year_max"),
        min_ratings=values.get("min_ratings", 0),
    )
    query = {name: str(value) for name, value in values.items() if name != "page"}
    return Browse(form, values.get("sort", sorts[0]), filters, values.get("page", 1), query)


@dataclass(frozen=True)
class Pager:
    """Where a page of a list stands: its number, the total and the links either side."""

    page: int
    pages: int
    total: int
    previous_url: str | None
    next_url: str | None


def pager_get(browse: Browse, total: int) -> Pager:
    pages = max(1, -(-total // PAGE_SIZE))
    page = browse.page
    return Pager(
        page, pages, total,
        browse.page_url(page - 1) if page > 1 else None,
        browse.page_url(page + 1) if page < pages else None,
    )
