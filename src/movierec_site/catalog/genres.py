"""Genre names as the site shows them, translated.

The data keeps each genre under its English name from the MovieLens release (it is also the
genre's key in URLs and filters); only what a person reads is translated. Every genre of the
releases is written out below as a literal, so that makemessages finds it.
"""

from django.utils.translation import gettext, gettext_noop

GENRE_NAMES = frozenset({
    # ML-100K, ML-1M and the newer releases alike.
    gettext_noop("Action"),
    gettext_noop("Adventure"),
    gettext_noop("Animation"),
    gettext_noop("Children's"),
    gettext_noop("Comedy"),
    gettext_noop("Crime"),
    gettext_noop("Documentary"),
    gettext_noop("Drama"),
    gettext_noop("Fantasy"),
    gettext_noop("Film-Noir"),
    gettext_noop("Horror"),
    gettext_noop("Musical"),
    gettext_noop("Mystery"),
    gettext_noop("Romance"),
    gettext_noop("Sci-Fi"),
    gettext_noop("Thriller"),
    gettext_noop("War"),
    gettext_noop("Western"),
    # ML-100K only.
    gettext_noop("unknown"),
    # The newer releases (ML-10M on): "Children" for "Children's", IMAX, and no genre at all.
    gettext_noop("Children"),
    gettext_noop("IMAX"),
    gettext_noop("(no genres listed)"),
})
"""Every genre name of the MovieLens releases, each a msgid of the site's catalogue."""


def genre_label(name: str) -> str:
    """`name` as the person reads it, in the request's language; a genre no release names is
    shown as it is (a catalogue never holds it, so there is nothing to look up)."""
    return gettext(name) if name in GENRE_NAMES else name
