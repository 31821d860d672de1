"""Reasons in the site's words. The site speaks to the visitor ("you") about their own lists, and
about a dataset user ("this viewer") on that user's profile."""

from movierec.engine import Reason
from movierec.wording import reason_text as worded


def reason_text(reason: Reason, *, about_someone_else: bool = False) -> str:
    """A `Reason` as a card or the API shows it: "because you rated Heat 5 stars", or "because
    this viewer rated Heat 5 stars" on a page about someone else."""
    return worded(reason, who="this viewer" if about_someone_else else "you")
