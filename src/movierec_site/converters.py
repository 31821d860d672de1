"""The `<id:...>` and `<genre:...>` URL converters, registered once on import; every urls module
imports this.

They carry every value the data loader accepts, so no published model can hold a movie, user or
genre that a page cannot link to (a link that cannot be built is a 500 for the whole page).
"""

from django.urls import register_converter

INT64 = range(-(2**63), 2**63)
"""The ids the engine's int64 tables can hold."""


def parse_dataset_id(text: str) -> int | None:
    """`text` as a dataset id (optionally signed, any number of digits), or None when it is not
    one or is too large for the engine's tables."""
    text = text.strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return None
    value = int(text)
    return value if value in INT64 else None


class DatasetId:
    """Dataset ids in URLs: signed, any number of digits. A number the int64 tables cannot hold
    is a plain 404, not an error."""

    regex = "-?[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_dataset_id(value)
        if parsed is None:
            raise ValueError(f"{value} is not a dataset id")  # Django answers 404
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)


class GenreName:
    """Genre names in URLs, as they are: any text, "/" included ("Sci-Fi/Fantasy" is
    /genres/Sci-Fi/Fantasy/); reverse() percent-encodes the rest, and the server decodes it."""

    # Newlines too: a genre is whatever the data loader found between two "|".
    regex = "(?s:.+)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DatasetId, "id")
register_converter(GenreName, "genre")
