"""Reasons in the site's words. The site speaks to the visitor ("you") about their own lists, and
about a dataset user ("this viewer") on that user's profile, in the visitor's language."""

import dataclasses

from django.utils.translation import gettext

from movierec.engine import Reason
from movierec.wording import reason_text as worded
from movierec_site.catalog.genres import genre_label


def reason_text(reason: Reason, *, about_someone_else: bool = False) -> str:
    """A `Reason` as a card or the API shows it: "because you rated Heat 5 stars", or "because
    this viewer rated Heat 5 stars" on a page about someone else."""
    if reason.genres:  # "similar to Heat: Action, Crime": the genres in the reader's words too
        reason = dataclasses.replace(reason, genres=tuple(genre_label(g) for g in reason.genres))
    return worded(reason, who="this viewer" if about_someone_else else "you", translate=gettext)
