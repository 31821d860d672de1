"""Reading a rating history exported from elsewhere: Letterboxd's ratings.csv, IMDb's ratings
export, or a MovieLens-style ratings.csv. Only the file is read here; which film of the served
model each line means is `imports_matching`'s job.

The columns are found by name (any order, any case, extra ones ignored), so an export with a
column added later still reads. A file that cannot be read as a whole (not text, not UTF-8, no
known columns, too big) is refused with `ImportFileError`; a line that cannot be read is kept as
a `BadLine` with its reason, and the rest of the file still imports.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 5 * 1024 * 1024
"""5 MB: a Letterboxd or IMDb export of 50,000 films is about 4 MB."""
MAX_ROWS = 50_000

LETTERBOXD, IMDB, MOVIELENS = "letterboxd", "imdb", "movielens"
FORMAT_NAMES = {
    LETTERBOXD: gettext_lazy("Letterboxd ratings.csv"),
    IMDB: gettext_lazy("IMDb ratings export"),
    MOVIELENS: gettext_lazy("MovieLens-style ratings.csv"),
}
KNOWN_FORMATS = gettext_lazy(
    "Letterboxd's ratings.csv (Date, Name, Year, Letterboxd URI, Rating), IMDb's ratings export "
    "(Const, Your Rating, Date Rated, Title, Year, ...) or a MovieLens-style ratings.csv "
    "(userId, movieId, rating, timestamp, or only movieId, rating)"
)
SERIES_TYPES = {"tv series", "tv mini series", "tv episode", "podcast series", "podcast episode"}
"""IMDb title types that are never a film of a movie catalogue."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class FileRating:
    """One readable line of an export."""

    line: int
    """The line number in the file, the header being line 1."""
    stars: float
    """Out of five, 0.5 to 5 (IMDb's 1-10 halved), before the model's scale is applied."""
    given: str
    """The rating as the file wrote it, for the report: "4.5", "9/10"."""
    rated_on: date | None = None
    title: str = ""
    year: int | None = None
    imdb_id: int | None = None
    movie_id: int | None = None
    """The dataset's movie id (MovieLens-style files only)."""
    series: bool = False
    """An IMDb line of a TV series or episode, which no movie catalogue holds."""

    @property
    def label(self) -> str:
        """How the line names its film: "Heat (1995)", "movie 42"."""
        if self.title:
            return f"{self.title} ({self.year})" if self.year else self.title
        return _("movie %(movie_id)s") % {"movie_id": self.movie_id}


@dataclass(frozen=True)
class BadLine:
    line: int
    named: str
    """The film as the line names it, or the start of the line as written."""
    reason: str


@dataclass(frozen=True)
class ParsedExport:
    format: str
    ratings: list[FileRating]
    bad_lines: list[BadLine]

    @property
    def format_name(self) -> str:
        # Worded now, in the request's language: the plan keeps it as plain text in the session.
        return str(FORMAT_NAMES[self.format])


class _BadValue(ValueError):
    """A line's value that cannot be read; the message is the reason shown for the line."""


def parse_export(data: bytes) -> ParsedExport:
    """The ratings of an export file, its format found from its header row."""
    rows = _csv_rows(_text(data))
    header_line, header = next(((n, row) for n, row in rows if any(c.strip() for c in row)),
                               (0, []))
    columns = {name.strip().casefold(): index for index, name in enumerate(header)}
    kind, reader = _format_of(columns, header)
    if kind == MOVIELENS and "userid" in columns:
        _check_one_user(rows[header_line:], columns["userid"])
    ratings, bad_lines = [], []
    for line, row in rows:
        if line <= header_line or not any(cell.strip() for cell in row):
            continue
        try:
            ratings.append(reader(line, _Row(row, columns)))
        except _BadValue as problem:
            bad_lines.append(BadLine(line, _Row(row, columns).label, str(problem)))
    if not ratings and not bad_lines:
        raise ImportFileError(
            _("the %(format)s has a header but no ratings") % {"format": FORMAT_NAMES[kind]}
        )
    return ParsedExport(kind, ratings, bad_lines)


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("the file is %(size)s MB; the limit is %(limit)s MB (about 50,000 ratings): split "
              "it and import the parts one after another")
            % {"size": f"{len(data) / 1_048_576:.1f}", "limit": MAX_BYTES // 1_048_576}
        )
    if not data.strip():
        raise ImportFileError(_("the file is empty; choose the CSV file the export gave you"))
    if b"\0" in data[:8192]:
        raise ImportFileError(
            _("the file is not a CSV text file (it looks binary: a spreadsheet or a zip?); "
              "choose the .csv file itself, unzipped")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("the file is not UTF-8 text (byte %(byte)s is not valid UTF-8); save it as CSV "
              "UTF-8 and try again") % {"byte": error.start + 1}
        ) from None


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each row; a quoted cell may span lines, so numbers can skip."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(
                    _("the file has more than %(rows)s ratings; split it and import the parts "
                      "one after another") % {"rows": f"{MAX_ROWS:,}"}
                )
    except csv.Error as error:
        raise ImportFileError(
            _("line %(line)s is not valid CSV (%(error)s)")
            % {"line": reader.line_num, "error": error}
        ) from None
    return rows


def _format_of(columns: dict[str, int], header: list[str]):
    if not columns:
        raise ImportFileError(_("the file is empty; choose the CSV file the export gave you"))
    if "letterboxd uri" in columns or {"name", "year"} <= columns.keys():
        if "rating" not in columns:
            raise ImportFileError(
                _("this Letterboxd file has no Rating column: import ratings.csv from the "
                  "export's zip, not watched.csv or diary.csv")
            )
        return LETTERBOXD, _letterboxd_rating
    if "const" in columns and "your rating" in columns:
        return IMDB, _imdb_rating
    if "movieid" in columns and "rating" in columns:
        return MOVIELENS, _movielens_rating
    named = ", ".join(cell.strip() for cell in header if cell.strip())[:120]
    raise ImportFileError(
        _("the file's columns (%(named)s) are not those of any export this site reads: "
          "%(known)s") % {"named": named, "known": KNOWN_FORMATS}
    )


def _check_one_user(rows: list[tuple[int, list[str]]], column: int) -> None:
    """A MovieLens-style file is one person's ratings: a whole data set's would rate every film
    many times over, as if one person had."""
    users = {row[column].strip() for _, row in rows if column < len(row) and row[column].strip()}
    if len(users) > 1:
        raise ImportFileError(
            _("the file holds the ratings of %(users)s users (userId); keep only your own "
              "lines, or drop the userId column") % {"users": len(users)}
        )


class _Row:
    """A line's cells by column name; a missing cell reads as empty."""

    def __init__(self, cells: list[str], columns: dict[str, int]) -> None:
        self.cells, self.columns = cells, columns

    def __getitem__(self, name: str) -> str:
        index = self.columns.get(name)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    @property
    def label(self) -> str:
        """How a bad line names its film, as far as it can be read: "Heat (1995)", "movie 42",
        else the start of the line as written."""
        title, year = self["name"] or self["title"], self["year"]
        if title:
            return f"{title} ({year})" if year else title
        if self["movieid"]:
            return _("movie %(movie_id)s") % {"movie_id": self["movieid"]}
        return ",".join(self.cells)[:80]


def _letterboxd_rating(line: int, row: _Row) -> FileRating:
    stars = _number(row["rating"])
    if not (0.5 <= stars <= 5 and stars * 2 == int(stars * 2)):
        raise _BadValue(_("rating %(value)s is not 0.5 to 5 stars in half stars")
                        % {"value": repr(row["rating"])})
    if not row["name"]:
        raise _BadValue(_("the line names no film (the Name column is empty)"))
    return FileRating(line, stars, f"{stars:g}", _day(row["date"]), row["name"], _year(row["year"]))


def _imdb_rating(line: int, row: _Row) -> FileRating:
    given = _number(row["your rating"])
    if not (1 <= given <= 10 and given == int(given)):
        raise _BadValue(_("rating %(value)s is not a whole number from 1 to 10")
                        % {"value": repr(row["your rating"])})
    imdb_id = _imdb_id(row["const"])
    if imdb_id is None and not row["title"]:
        raise _BadValue(_("the line names no film (Const %(const)s, no Title)")
                        % {"const": repr(row["const"])})
    return FileRating(
        line, given / 2, f"{given:g}/10", _day(row["date rated"]), row["title"],
        _year(row["year"]), imdb_id, series=row["title type"].casefold() in SERIES_TYPES,
    )


def _movielens_rating(line: int, row: _Row) -> FileRating:
    stars = _number(row["rating"])
    if not 0.5 <= stars <= 5:
        raise _BadValue(_("rating %(value)s is not 0.5 to 5 stars")
                        % {"value": repr(row["rating"])})
    movie_id = _whole(row["movieid"])
    if movie_id is None:
        raise _BadValue(_("movieId %(value)s is not a whole number")
                        % {"value": repr(row["movieid"])})
    rated_on = None
    if row["timestamp"]:
        seconds = _whole(row["timestamp"])
        if seconds is None or not 0 <= seconds < 2**34:
            raise _BadValue(_("timestamp %(value)s is not seconds since 1970")
                            % {"value": repr(row["timestamp"])})
        rated_on = datetime.fromtimestamp(seconds, UTC).date()
    return FileRating(line, stars, f"{stars:g}", rated_on, movie_id=movie_id)


def _number(text: str) -> float:
    """A rating as a number; a missing or unreadable one makes the line bad."""
    try:
        value = float(text)
    except ValueError:
        raise _BadValue(_not_a_rating(text)) from None
    if value != value:  # NaN
        raise _BadValue(_not_a_rating(text))
    return value


def _not_a_rating(text: str) -> str:
    if not text:
        return _("no rating")
    return _("rating %(value)s is not a number") % {"value": repr(text)}


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _day(text: str) -> date | None:
    """A YYYY-MM-DD date; an empty one is None, a malformed one makes the line bad."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _BadValue(_("date %(value)s is not YYYY-MM-DD") % {"value": repr(text)}) from None


def _year(text: str) -> int | None:
    year = _whole(text)
    return year if year is not None and 1800 <= year <= 2200 else None


def _imdb_id(text: str) -> int | None:
    """114709 for "tt0114709"."""
    digits = text.removeprefix("tt")
    return int(digits) if text.startswith("tt") and digits.isdigit() else None
