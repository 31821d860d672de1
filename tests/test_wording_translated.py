"""Reasons in another language (`movierec.wording`): the site hands `reason_text` its gettext,
which sees each whole English phrase, placeholders and all, before the title and numbers go in."""

import ast
from pathlib import Path
from typing import get_args

import pytest

import movierec.wording
from movierec.engine import Reason, ReasonKind
from movierec.wording import Person, reason_text

HEAT = {"movie_id": 6, "title": "Heat"}
EVERY_FIELD = {"movie_id": 6, "title": "Heat", "stars": 4.0, "count": 3, "audience": 50,
               "genres": ("Action",), "group": "women"}


def marked_phrases() -> set[str]:
    """The strings passed to `gettext_noop` in wording.py: what the catalogue collects."""
    tree = ast.parse(Path(movierec.wording.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop"
        and isinstance(node.args[0], ast.Constant)
    }


def test_a_translation_sees_the_whole_phrase_and_reorders_its_placeholders():
    catalogue = {"because you rated %(title)s %(stars)s stars": "你给《%(title)s》打了%(stars)s星"}
    reason = Reason("rated_similar", **HEAT, stars=4.5)
    assert reason_text(reason, translate=lambda phrase: catalogue.get(phrase, phrase)) == \
        "你给《Heat》打了4.5星"


@pytest.mark.parametrize("kind", get_args(ReasonKind))
@pytest.mark.parametrize("who", get_args(Person))
def test_every_phrase_asked_for_is_one_the_catalogue_collects(kind: str, who: Person):
    asked: list[str] = []

    def translate(phrase: str) -> str:
        asked.append(phrase)
        return phrase

    reason = Reason(kind, **EVERY_FIELD)  # type: ignore[arg-type]
    assert reason_text(reason, who=who, translate=translate) == reason_text(reason, who=who)
    assert len(asked) == 1
    assert asked[0] in marked_phrases()


@pytest.mark.parametrize("kind", ["rated_it", "rated_similar", "predicted"])
def test_each_person_has_a_phrase_of_its_own(kind: str):
    phrases = set()
    for who in get_args(Person):
        reason_text(Reason(kind, **EVERY_FIELD),  # type: ignore[arg-type]
                    who=who, translate=lambda phrase: phrases.add(phrase) or phrase)
    assert len(phrases) == len(get_args(Person))


def test_an_unknown_person_is_refused():
    with pytest.raises(ValueError, match="'she'"):
        reason_text(Reason("rated_it", stars=4.0), who="she")  # type: ignore[arg-type]
