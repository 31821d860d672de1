"""Finding the first bad line of a delimited file, so an error can name the file, line and fault.

The fast readers (pyarrow) say little about where a file goes wrong; when one fails, or a check on
the parsed columns fails, the file is scanned here line by line to produce a message a person can
act on. This is the slow path: it only runs after something is already wrong.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from movierec.errors import DataError


@dataclass(frozen=True)
class Field:
    """One column of a delimited file: its name and whether it must be an integer or a number."""

    name: str
    kind: str = "text"
    """"int", "float" or "text"."""


def first_bad_line(
    path: Path, separator: str, fields: list[Field], *, encoding: str, header: bool
) -> DataError | None:
    """The error for the first malformed line of `path`, or None when every line parses."""
    with Path(path).open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = raw.decode(encoding).rstrip("\r\n")
            except UnicodeDecodeError as error:
                return DataError(
                    f"{path}, line {number}: not valid {encoding} text ({error.reason} at byte "
                    f"{error.start}); save the file as {encoding}"
                )
            if (header and number == 1) or not line.strip():
                continue
            problem = _line_problem(line, separator, fields)
            if problem:
                return DataError(f"{path}, line {number}: {problem}")
    return None


def raise_first_bad_line(
    path: Path, separator: str, fields: list[Field], *, encoding: str, header: bool, cause: str
) -> None:
    """Raise the error for the first bad line, or a general one quoting `cause` if none is found."""
    error = first_bad_line(path, separator, fields, encoding=encoding, header=header)
    if error is None:
        error = DataError(f"{path}: could not be read ({cause})")
    raise error


def _line_problem(line: str, separator: str, fields: list[Field]) -> str | None:
    values = _split(line, separator)
    if len(values) < len(fields):
        shown = line if len(line) <= 80 else line[:77] + "..."
        hint = ""
        if len(values) == 1 and separator not in line:
            hint = f" (is the separator {separator!r}?)"
        return (
            f"expected {len(fields)} fields separated by {separator!r} "
            f"({', '.join(f.name for f in fields)}), found {len(values)}{hint}: {shown!r}"
        )
    for field, value in zip(fields, values, strict=False):
        if field.kind == "int" and not value.strip().lstrip("-").isdigit():
            return f"{field.name} must be a whole number, found {value!r}"
        if field.kind == "float" and not _is_number(value):
            return f"{field.name} must be a finite number, found {value!r}"
    return None


def _split(line: str, separator: str) -> list[str]:
    if separator != ",":
        return line.split(separator)
    # CSV titles may hold quoted commas; the csv module knows the quoting rules.
    return next(csv.reader([line]))


def _is_number(value: str) -> bool:
    """A finite number: "nan" and "inf" parse as floats but are no rating."""
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False
