"""The dataset's words a person reads (genre names, age groups, genders, occupations) are each a
msgid of the site's catalogue, and are looked up in the request's language when shown."""

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from movierec.data import codes
from movierec_site.accounts import demographic_labels
from movierec_site.accounts.forms import DemographicsForm
from movierec_site.accounts.models import AGE_GROUP_CHOICES, OCCUPATION_CHOICES
from movierec_site.catalog import genres
from movierec_site.catalog.genres import GENRE_NAMES, genre_label

# The newer (CSV) releases' own spellings, beside the genres of movierec.data.codes.
NEWER_RELEASES_GENRES = ("Children", "IMAX", "(no genres listed)")


@pytest.mark.parametrize("name", [*codes.ML100K_GENRES, *NEWER_RELEASES_GENRES])
def test_every_genre_of_the_releases_is_a_msgid(name: str) -> None:
    assert name in GENRE_NAMES


def test_a_genre_reads_in_english_unchanged() -> None:
    with override("en"):
        assert [genre_label(name) for name in ("Sci-Fi", "Children's", "Film-Noir")] == [
            "Sci-Fi", "Children's", "Film-Noir"]


def test_a_known_genre_is_looked_up_and_an_unknown_one_shown_as_it_is(monkeypatch) -> None:
    monkeypatch.setattr(genres, "gettext", lambda message: f"«{message}»")
    assert genre_label("Film-Noir") == "«Film-Noir»"
    assert genre_label("Bollywood") == "Bollywood"


def test_every_worded_demographic_label_is_a_msgid() -> None:
    tables = (codes.AGE_BUCKETS, codes.GENDER_LABELS, codes.OCCUPATIONS)
    worded = {demographic_labels.shown_word(label)
              for table in tables for label in table.values() if not label[:1].isdigit()}
    assert worded <= demographic_labels.SHOWN_WORDS
    assert len(worded) == len(demographic_labels.SHOWN_WORDS)  # no msgid without its label


def test_the_choices_read_as_before_and_are_translated_when_shown() -> None:
    assert dict(OCCUPATION_CHOICES)[4] == "College/grad student"
    assert isinstance(dict(OCCUPATION_CHOICES)[4], Promise)
    assert dict(AGE_GROUP_CHOICES)[25] == "25-34"
    with override("en"):
        shown = dict(DemographicsForm().fields["occupation"].choices)
    assert shown[""] == "Prefer not to say"
    assert shown[17] == "Technician/engineer"


def test_a_demographic_word_in_a_sentence_stays_lower_case_in_english(monkeypatch) -> None:
    with override("en"):
        assert demographic_labels.word_in_sentence("programmer") == "programmer"
        assert demographic_labels.word_in_sentence("Under 18") == "Under 18"
    monkeypatch.setattr(demographic_labels, "gettext", lambda message: f"«{message}»")
    assert demographic_labels.word_in_sentence("programmer") == "«Programmer»"
    assert demographic_labels.word_in_sentence("25-34") == "25-34"
