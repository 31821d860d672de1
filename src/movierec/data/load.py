"""Reading every MovieLens layout into the canonical `Dataset`.

Ratings files are large (32M lines for ML-32M) and go through pyarrow's multi-threaded reader;
the small movie and user files go through pandas. Every check that can fail names the file and
the first offending line (see `diagnose`).
"""

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from movierec.data import codes
from movierec.data.dataset import (
    Dataset,
    canonical_movies,
    canonical_ratings,
    canonical_users,
)
from movierec.data.diagnose import Field, raise_first_bad_line
from movierec.data.releases import Layout, Release
from movierec.errors import DataError

RATING_FIELDS = [
    Field("user id", "int"), Field("movie id", "int"), Field("rating", "float"),
    Field("timestamp", "int"),
]
_YEAR = re.compile(r"\((\d{4})(?:[-–]\d{0,4})?\)\s*$")
_GENRE_ALIASES = {"Children": "Children's", "(no genres listed)": ""}


def detect_layout(folder: Path) -> Layout:
    """The layout of a folder of release files, judged by which files it holds."""
    if (folder / "u.data").is_file():
        return Layout.ML100K
    if (folder / "ratings.dat").is_file():
        return Layout.DAT
    if (folder / "ratings.csv").is_file():
        return Layout.CSV
    raise DataError(
        f"{folder}: no MovieLens ratings file found (looked for u.data, ratings.dat, ratings.csv)"
    )


def load_folder(folder: Path, release: Release) -> Dataset:
    """Load the release files in `folder` (as unpacked by `movierec data fetch`)."""
    folder = Path(folder)
    layout = detect_layout(folder)
    if layout is Layout.ML100K:
        users, movies, ratings = _load_ml100k(folder)
    elif layout is Layout.DAT:
        users, movies, ratings = _load_dat(folder)
    else:
        users, movies, ratings = _load_csv(folder)
    users = canonical_users(users)
    dataset = Dataset(
        name=release.name,
        users=users,
        movies=canonical_movies(movies),
        ratings=canonical_ratings(ratings),
        has_demographics=bool(users["gender"].notna().any()),
        rating_scale=release.rating_scale,
    )
    _check_ratings(dataset, folder / _ratings_file(layout))
    return dataset


def _ratings_file(layout: Layout) -> str:
    return {Layout.ML100K: "u.data", Layout.DAT: "ratings.dat", Layout.CSV: "ratings.csv"}[layout]


# --- ratings -------------------------------------------------------------------------------

def _read_ratings(path: Path, separator: str, *, header: bool) -> pd.DataFrame:
    """Ratings via pyarrow; `::` files are rewritten to tabs in memory first (pyarrow wants one
    character), which costs one copy of the file but keeps the parse multi-threaded."""
    if not path.is_file():
        raise DataError(f"{path}: missing; the release folder is incomplete")
    names = ["user_id", "movie_id", "rating", "timestamp"]
    types = {"user_id": pa.int32(), "movie_id": pa.int32(), "rating": pa.float32(),
             "timestamp": pa.int64()}
    if separator == "::":
        source: object = io.BytesIO(path.read_bytes().replace(b"::", b"\t"))
        delimiter = "\t"
    else:
        source, delimiter = str(path), separator
    if header:
        _check_header(path, separator, ["userId", "movieId", "rating", "timestamp"])
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1 if header else 0, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(column_types=types),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise_first_bad_line(
            path, separator, RATING_FIELDS, encoding="utf-8", header=header, cause=str(error)
        )
    ratings = table.to_pandas()
    # pyarrow reads "nan" and "inf" as numbers and an empty field as null (NaN here).
    if not np.isfinite(ratings["rating"].to_numpy()).all():
        raise_first_bad_line(path, separator, RATING_FIELDS, encoding="utf-8", header=header,
                             cause="a rating that is empty or not a finite number")
    return ratings


def _check_header(path: Path, separator: str, expected: list[str]) -> None:
    with path.open("rb") as stream:
        first = stream.readline().decode("utf-8", errors="replace").strip()
    found = [name.strip().strip('"') for name in first.split(separator)]
    missing = [name for name in expected if name not in found]
    if missing:
        raise DataError(
            f"{path}, line 1: header {first!r} lacks column(s) {', '.join(missing)}; "
            f"expected {separator.join(expected)}"
        )
    if found[: len(expected)] != expected:
        raise DataError(
            f"{path}, line 1: columns must come in the order {separator.join(expected)}, "
            f"found {first!r}"
        )


def _check_ratings(dataset: Dataset, path: Path) -> None:
    """Scale, unknown movies and unknown users: the checks pyarrow cannot make."""
    ratings = dataset.ratings
    if ratings.empty:
        raise DataError(f"{path}: holds no ratings")
    low, high, step = dataset.rating_scale
    values = ratings["rating"].to_numpy()
    off_scale = (values < low) | (values > high) | (np.abs(values / step - np.round(values / step))
                                                   > 1e-6)
    _raise_first(path, off_scale, ratings, lambda row: (
        f"rating {row.rating:g} is outside this release's scale {low:g}-{high:g} in steps of "
        f"{step:g}"
    ))
    unknown_movie = ~ratings["movie_id"].isin(dataset.movies["movie_id"]).to_numpy()
    _raise_first(path, unknown_movie, ratings, lambda row: (
        f"rating for movie {row.movie_id}, which the movies file does not list"
    ))
    if dataset.has_demographics:
        unknown_user = ~ratings["user_id"].isin(dataset.users["user_id"]).to_numpy()
        _raise_first(path, unknown_user, ratings, lambda row: (
            f"rating by user {row.user_id}, whom the users file does not list"
        ))


def _raise_first(path: Path, bad: np.ndarray, ratings: pd.DataFrame, describe) -> None:
    if not bad.any():
        return
    position = int(np.argmax(bad))
    # Files keep their line order and skip no lines, so a row's position gives its line number.
    header_lines = 1 if path.suffix == ".csv" else 0
    line = position + 1 + header_lines
    more = int(bad.sum()) - 1
    suffix = f" ({more} more such line{'s' if more != 1 else ''})" if more else ""
    row = ratings.iloc[position]
    raise DataError(f"{path}, line {line}: {describe(row)}{suffix}")


# --- ML-100K -------------------------------------------------------------------------------

def _load_ml100k(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ratings = _read_ratings(folder / "u.data", "\t", header=False)
    item_fields = [Field("movie id", "int"), Field("title"), Field("release date"),
                   Field("video release date"), Field("IMDb URL"),
                   *(Field(f"genre flag {g}", "int") for g in codes.ML100K_GENRES)]
    items = _read_small(folder / "u.item", "|", item_fields, "latin-1")
    flags = items.iloc[:, 5:24].to_numpy(dtype=np.int8)
    names = np.array(codes.ML100K_GENRES)
    genres = ["|".join(g for g in names[row.astype(bool)] if g != "unknown") for row in flags]
    movies = pd.DataFrame({
        "movie_id": items[0].astype("int32"),
        "title": items[1],
        "year": _years(items[1], fallback=items[2]),
        "genres": genres,
    })
    user_fields = [Field("user id", "int"), Field("age", "int"), Field("gender"),
                   Field("occupation"), Field("zip")]
    raw_users = _read_small(folder / "u.user", "|", user_fields, "latin-1")
    occupation = raw_users[3].str.strip().str.lower()
    unknown = ~occupation.isin(codes.ML100K_OCCUPATIONS)
    if unknown.any():
        line = int(np.argmax(unknown.to_numpy())) + 1
        raise DataError(
            f"{folder / 'u.user'}, line {line}: unknown occupation {occupation[unknown].iloc[0]!r}"
            f"; expected one of {', '.join(sorted(codes.ML100K_OCCUPATIONS))}"
        )
    users = pd.DataFrame({
        "user_id": raw_users[0],
        "gender": _genders(raw_users[2], folder / "u.user"),
        "age": codes.age_bucket(raw_users[1].to_numpy()),
        "occupation": occupation.map(codes.ML100K_OCCUPATIONS),
        "zip": raw_users[4],
    })
    return users, movies, ratings


# --- ML-1M and ML-10M (`::`) ------------------------------------------------------------------

def _load_dat(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ratings = _read_ratings(folder / "ratings.dat", "::", header=False)
    encoding = _dat_encoding(folder / "movies.dat")
    raw_movies = _read_small(
        folder / "movies.dat", "::", [Field("movie id", "int"), Field("title"), Field("genres")],
        encoding,
    )
    movies = pd.DataFrame({
        "movie_id": raw_movies[0],
        "title": raw_movies[1],
        "year": _years(raw_movies[1]),
        "genres": _genres(raw_movies[2]),
    })
    users_path = folder / "users.dat"
    if users_path.is_file():
        fields = [Field("user id", "int"), Field("gender"), Field("age", "int"),
                  Field("occupation", "int"), Field("zip")]
        raw_users = _read_small(users_path, "::", fields, encoding)
        _check_codes(users_path, raw_users[2], codes.AGE_BUCKETS, "age code")
        _check_codes(users_path, raw_users[3], codes.OCCUPATIONS, "occupation code")
        users = pd.DataFrame({
            "user_id": raw_users[0],
            "gender": _genders(raw_users[1], users_path),
            "age": raw_users[2],
            "occupation": raw_users[3],
            "zip": raw_users[4],
        })
    else:
        users = pd.DataFrame({"user_id": np.unique(ratings["user_id"].to_numpy())})
    return users, movies, ratings


def _dat_encoding(path: Path) -> str:
    # ML-1M is ISO-8859-1; ML-10M's files are UTF-8. Latin-1 decodes anything, so try UTF-8 first.
    if not path.is_file():
        raise DataError(f"{path}: missing; the release folder is incomplete")
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


# --- ML-20M and later (CSV with a header) -----------------------------------------------------

def _load_csv(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ratings = _read_ratings(folder / "ratings.csv", ",", header=True)
    movies_path = folder / "movies.csv"
    fields = [Field("movieId", "int"), Field("title"), Field("genres")]
    raw_movies = _read_small(movies_path, ",", fields, "utf-8", header=True,
                             expected_header=["movieId", "title", "genres"])
    movies = pd.DataFrame({
        "movie_id": raw_movies["movieId"],
        "title": raw_movies["title"],
        "year": _years(raw_movies["title"]),
        "genres": _genres(raw_movies["genres"]),
    })
    links_path = folder / "links.csv"
    if links_path.is_file():
        links = _read_small(
            links_path, ",", [Field("movieId", "int"), Field("imdbId"), Field("tmdbId")], "utf-8",
            header=True, expected_header=["movieId", "imdbId", "tmdbId"],
        )
        # imdbId is zero-padded text ("0114709"); kept as a number, the padding is a display rule.
        links = pd.DataFrame({
            "movie_id": links["movieId"],
            "imdb_id": pd.to_numeric(links["imdbId"], errors="coerce").astype("Int64"),
            "tmdb_id": pd.to_numeric(links["tmdbId"], errors="coerce").astype("Int64"),
        })
        movies = movies.merge(links, on="movie_id", how="left")
    users = pd.DataFrame({"user_id": np.unique(ratings["user_id"].to_numpy())})
    return users, movies, ratings


# --- shared helpers -------------------------------------------------------------------------

def _read_small(
    path: Path,
    separator: str,
    fields: list[Field],
    encoding: str,
    *,
    header: bool = False,
    expected_header: list[str] | None = None,
) -> pd.DataFrame:
    """A small delimited file as text columns, with int columns converted and checked."""
    if not path.is_file():
        raise DataError(f"{path}: missing; the release folder is incomplete")
    if expected_header:
        _check_header(path, separator, expected_header)
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError:
        raise_first_bad_line(path, separator, fields, encoding=encoding, header=header,
                             cause="bad encoding")
    if separator == ",":
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except pd.errors.ParserError as error:
            raise_first_bad_line(path, separator, fields, encoding=encoding, header=header,
                                 cause=str(error).strip())
    else:
        # Only "\n" (or "\r\n") ends a line: titles may hold U+0085, U+2028 or a form feed,
        # which str.splitlines would also split on.
        lines = (line.removesuffix("\r") for line in text.split("\n"))
        rows = [line.split(separator) for line in lines if line.strip()]
        widths = {len(row) for row in rows}
        if any(width < len(fields) for width in widths):
            raise_first_bad_line(path, separator, fields, encoding=encoding, header=header,
                                 cause="too few fields")
        frame = pd.DataFrame(rows, dtype=str)
    if frame.empty:
        raise DataError(f"{path}: holds no records; fetch the release again")
    columns = list(frame.columns)
    for position, field in enumerate(fields):
        if field.kind != "int":
            continue
        column = columns[position]
        converted = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        if converted.isna().any():
            raise_first_bad_line(path, separator, fields, encoding=encoding, header=header,
                                 cause=f"{field.name} not a whole number")
        frame[column] = converted.astype("int64")
    return frame


def _years(titles: pd.Series, fallback: pd.Series | None = None) -> pd.Series:
    years = titles.str.extract(_YEAR, expand=False)
    if fallback is not None:
        # ML-100K also has a release date column ("01-Jan-1995") for titles without a year.
        years = years.fillna(fallback.str.extract(r"(\d{4})\s*$", expand=False))
    return pd.to_numeric(years, errors="coerce").astype("Int16")


def _genres(raw: pd.Series) -> pd.Series:
    def clean(value: str) -> str:
        parts = (_GENRE_ALIASES.get(part, part) for part in value.strip().split("|"))
        return "|".join(part for part in parts if part)

    return raw.map(clean)


def _genders(raw: pd.Series, path: Path) -> pd.Series:
    gender = raw.str.strip().str.upper()
    bad = ~gender.isin(codes.GENDERS)
    if bad.any():
        line = int(np.argmax(bad.to_numpy())) + 1
        raise DataError(f"{path}, line {line}: gender must be F or M, found {raw[bad].iloc[0]!r}")
    return gender


def _check_codes(path: Path, values: pd.Series, allowed: dict, what: str) -> None:
    bad = ~values.isin(list(allowed))
    if bad.any():
        line = int(np.argmax(bad.to_numpy())) + 1
        raise DataError(
            f"{path}, line {line}: unknown {what} {values[bad].iloc[0]}; "
            f"expected one of {', '.join(map(str, allowed))}"
        )
