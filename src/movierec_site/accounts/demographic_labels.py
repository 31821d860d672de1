"""The words of ML-1M's age groups, genders and occupations as the site shows them, translated.

The codes and their English words stay where the data defines them (movierec.data.codes); the
site shows each word capitalised. Each shown word is written out once below as a literal, so that
makemessages finds it: a word looked up by a variable alone would never reach the catalogue.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

SHOWN_WORDS = frozenset({
    # Age groups (the ranges of numbers read the same in every language).
    gettext_noop("Under 18"),
    # Genders.
    gettext_noop("Female"),
    gettext_noop("Male"),
    # Occupations.
    gettext_noop("Other"),
    gettext_noop("Academic/educator"),
    gettext_noop("Artist"),
    gettext_noop("Clerical/admin"),
    gettext_noop("College/grad student"),
    gettext_noop("Customer service"),
    gettext_noop("Doctor/health care"),
    gettext_noop("Executive/managerial"),
    gettext_noop("Farmer"),
    gettext_noop("Homemaker"),
    gettext_noop("K-12 student"),
    gettext_noop("Lawyer"),
    gettext_noop("Programmer"),
    gettext_noop("Retired"),
    gettext_noop("Sales/marketing"),
    gettext_noop("Scientist"),
    gettext_noop("Self-employed"),
    gettext_noop("Technician/engineer"),
    gettext_noop("Tradesman/craftsman"),
    gettext_noop("Unemployed"),
    gettext_noop("Writer"),
})
"""Every word a choice below may show, as its translation's msgid."""


def shown_word(label: str) -> str:
    """A code table's English word as the site shows it: capitalised ("academic/educator" is
    "Academic/educator")."""
    return label[:1].upper() + label[1:]


def shown_choices(labels: dict) -> list[tuple[object, str | Promise]]:
    """(code, label) choices from one of the dataset's code tables, each label capitalised and,
    where it is a word rather than a range of numbers, translated when shown."""
    return [(code, _translated(shown_word(label))) for code, label in labels.items()]


def word_in_sentence(label: str) -> str:
    """A code table's English word as a sentence shows it ("programmer"), in the request's
    language. The catalogue holds the capitalised word only; where it has no translation (in
    English) the data's own lower-case word stays."""
    word = shown_word(label)
    translated = gettext(word) if word in SHOWN_WORDS else word
    return label if translated == word else translated


def _translated(word: str) -> str | Promise:
    return gettext_lazy(word) if word in SHOWN_WORDS else word
