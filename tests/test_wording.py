"""Reasons in words (`movierec.wording`): what the CLI prints and the site shows, about "you" or
about another viewer."""

from typing import get_args

import pytest

from movierec.engine import Reason, ReasonKind
from movierec.wording import reason_text

HEAT = {"movie_id": 6, "title": "Heat"}


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (Reason("rated_it", stars=5.0), "you rated it 5 stars"),
        (Reason("rated_it", stars=1.0), "you rated it 1 star"),
        (Reason("rated_similar", movie_id=7, title="Heat", stars=4.5),
         "because you rated Heat 4.5 stars"),
        (Reason("predicted", stars=4.236), "predicted 4.2 stars for you"),
        (Reason("similar_to", movie_id=7, title="Heat", genres=("Action", "Crime")),
         "similar to Heat: Action, Crime"),
        (Reason("similar_to", movie_id=7, title="Heat"), "similar to Heat"),
        (Reason("audience_liked", movie_id=7, title="Heat", stars=4.0, count=31, audience=50),
         "the model's pick for the 50 viewers who like Heat most; 31 of them liked it"),
        (Reason("audience_liked", movie_id=7, title="Heat", stars=4.0, count=0, audience=50),
         "the model's pick for the 50 viewers who like Heat most"),
        (Reason("audience_liked", movie_id=7, title="Heat", stars=4.0, count=1, audience=1),
         "the model's pick for the viewer who likes Heat most; they liked it"),
        (Reason("popular_with", group="25-34 programmers"), "popular with 25-34 programmers"),
        (Reason("highly_rated", stars=4.56, count=1234),
         "highly rated: 4.6 stars from 1,234 ratings"),
        (Reason("highly_rated", stars=5.0, count=1), "highly rated: 5.0 stars from 1 rating"),
        (Reason("highly_rated", count=0), "new in the catalogue"),
    ],
)
def test_reason_wording(reason: Reason, text: str) -> None:
    assert reason_text(reason) == text


@pytest.mark.parametrize(
    ("reason", "yours", "theirs"),
    [
        (Reason("rated_it", stars=4.5), "you rated it 4.5 stars", "this viewer rated it 4.5 stars"),
        (Reason("rated_similar", **HEAT, stars=5.0), "because you rated Heat 5 stars",
         "because this viewer rated Heat 5 stars"),
        (Reason("predicted", stars=3.96), "predicted 4.0 stars for you",
         "predicted 4.0 stars for this viewer"),
        (Reason("similar_to", **HEAT, genres=("Action",)), "similar to Heat: Action",
         "similar to Heat: Action"),
        (Reason("audience_liked", **HEAT, stars=4.0, count=31, audience=50),
         "the model's pick for the 50 viewers who like Heat most; 31 of them liked it",
         "the model's pick for the 50 viewers who like Heat most; 31 of them liked it"),
        (Reason("popular_with", group="women"), "popular with women", "popular with women"),
        (Reason("highly_rated", stars=4.25, count=1), "highly rated: 4.2 stars from 1 rating",
         "highly rated: 4.2 stars from 1 rating"),
    ],
)
def test_reason_wording_about_another_viewer(reason: Reason, yours: str, theirs: str) -> None:
    assert reason_text(reason) == yours
    assert reason_text(reason, who="this viewer") == theirs


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        (Reason("rated_it", stars=4.5), "they rated it 4.5 stars"),
        (Reason("rated_similar", **HEAT, stars=5.0), "because they rated Heat 5 stars"),
        (Reason("predicted", stars=3.96), "predicted 4.0 stars for them"),
        (Reason("popular_with", group="women"), "popular with women"),
    ],
)
def test_reason_wording_in_the_third_person(reason: Reason, text: str) -> None:
    assert reason_text(reason, who="they") == text


@pytest.mark.parametrize("kind", get_args(ReasonKind))
def test_every_kind_of_reason_has_words(kind: str) -> None:
    reason = Reason(
        kind,  # type: ignore[arg-type]
        movie_id=6, title="Heat", stars=4.0, count=3, audience=50, genres=("Action",),
        group="women",
    )
    assert reason_text(reason) and reason_text(reason, who="this viewer")
