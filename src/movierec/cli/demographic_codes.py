"""`--age` and `--occupation` as people write them: ML-1M's code (25, 12) or its words (25-34,
programmer). The engine takes codes; these click types turn either spelling into one."""

import re

import click

from movierec.data.codes import AGE_BUCKETS, ML100K_OCCUPATIONS, OCCUPATIONS


def _spelling(text: str) -> str:
    """One spelling of a word whatever its case and separators: "Under 18", "under_18" and
    "UNDER-18" all read "under-18"; "Health care" reads "health-care"."""
    return re.sub(r"[\s_-]+", "-", text.strip().lower())


def _occupation_words() -> dict[str, int]:
    """Each ML-1M label ("doctor/health care"), each half of a label that pairs two ("doctor",
    "health care"), and ML-100K's words ("administrator", "student"), to the ML-1M code."""
    words = {_spelling(word): code for word, code in ML100K_OCCUPATIONS.items()}
    for code, label in OCCUPATIONS.items():
        words |= {_spelling(part): code for part in label.split("/")}
        words[_spelling(label)] = code
    return words


class CodeOrWord(click.ParamType):
    """An ML-1M code given as its number or as one of its words; the code comes out."""

    def __init__(self, name: str, labels: dict[int, str], words: dict[str, int],
                 hint: str = "") -> None:
        self.name = name
        self._labels = labels
        self._codes = {str(code): code for code in labels} | words
        self._hint = hint

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.name.upper()

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        text = _spelling(str(value))
        if text in self._codes:
            return self._codes[text]
        accepted = ", ".join(f"{code} ({label})" for code, label in self._labels.items())
        self.fail(f"unknown {self.name} {str(value)!r}; give a code or its words: {accepted}"
                  f"{self._hint}", param, ctx)


AGE = CodeOrWord("age", AGE_BUCKETS,
                 {_spelling(label): code for code, label in AGE_BUCKETS.items()})
"""--age: 1..56 or "Under 18", "18-24", ... "56+"."""
OCCUPATION = CodeOrWord("occupation", OCCUPATIONS, _occupation_words(),
                        hint="; either half of a pair will do (educator)")
"""--occupation: 0..20, a label or half of one ("programmer", "educator"), or an ML-100K word."""
