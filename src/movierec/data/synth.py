"""Synthetic MovieLens-like releases with planted structure, for tests and benchmarks.

Movies belong to genres and carry latent factors near their main genre's centre; users have a
taste vector pulled toward one favourite genre (and, where the release has demographics, the
favourite genre leans on gender and age, so demographics carry signal). A rating is a global
mean plus user and movie offsets plus taste . factors plus noise, rounded to the release's
scale. Movies are drawn with a Zipf-like popularity skew and users with a skewed activity, every
user rating at least 20 movies as in the real releases. Everything is vectorised so that ML-32M
sizes generate in about a minute.

On request it also plants what the real releases get wrong: films listed twice under two ids
(same title, year, genres and taste factors; ML-100K has 18) and movies titled "unknown" with no
year (ML-100K's movie 267).
"""

import csv
import io
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from movierec.atomic import atomic_folder
from movierec.data import codes
from movierec.data.releases import Layout, Release
from movierec.errors import UsageError

FACTORS = 8
MIN_RATINGS_PER_USER = 20
_START = 956_703_932  # April 2000, when ML-1M's ratings begin
_SPAN = 3 * 365 * 86_400
_CSV_GENRES = (*codes.ML1M_GENRES[:3], "Children", *codes.ML1M_GENRES[4:], "IMAX")
MARKER = ".movierec-synth"
"""The file that marks a folder as written here, so a later run may replace it."""


@dataclass(frozen=True)
class Planted:
    """The hidden truth behind a synthetic release, for tests that check what a model learns."""

    user_ids: np.ndarray
    movie_ids: np.ndarray
    favourite_genre: np.ndarray
    """(users,) index into `genres` of each user's favourite genre."""
    main_genre: np.ndarray
    """(movies,) index into `genres` of each movie's first genre."""
    genres: tuple[str, ...]
    aliases: dict[int, int] = field(default_factory=dict)
    """The planted duplicates: the larger id of each film listed twice -> its smaller id."""
    unknown_ids: tuple[int, ...] = ()
    """The movies planted with the title "unknown" and no year."""


def is_synthetic_release(folder: Path) -> bool:
    """Whether `folder` was written by `synthesize`."""
    return (Path(folder) / MARKER).is_file()


def synthesize(
    release: Release,
    out: Path,
    *,
    users: int,
    movies: int,
    ratings: int,
    seed: int = 0,
    duplicates: int = 0,
    unknown: int = 0,
) -> Planted:
    """Write a synthetic release in `release`'s layout into `out` and return what was planted.

    `duplicates` films are listed twice, under two ids; `unknown` movies are titled "unknown".
    """
    if duplicates < 0 or unknown < 0 or 2 * duplicates + unknown > movies:
        raise UsageError(
            f"cannot plant {duplicates} duplicate(s) and {unknown} unknown title(s) among "
            f"{movies} movies: each duplicate takes two movies, and none may be negative"
        )
    if users < 1 or movies < MIN_RATINGS_PER_USER or ratings < users * MIN_RATINGS_PER_USER:
        raise UsageError(
            f"need at least 1 user, {MIN_RATINGS_PER_USER} movies and "
            f"{MIN_RATINGS_PER_USER} ratings per user (asked: {users} users, {movies} movies, "
            f"{ratings} ratings)"
        )
    if ratings > users * movies // 2:
        raise UsageError(
            f"{ratings} ratings is more than half of {users} users x {movies} movies; ask for "
            "fewer ratings or more users/movies"
        )
    rng = np.random.default_rng(seed)
    genres = _CSV_GENRES if release.layout is Layout.CSV else codes.ML1M_GENRES
    world = _World.build(rng, users, movies, len(genres), release.has_demographics)
    pairs, unknown_rows = _flawed_rows(world, duplicates, unknown)
    world = world.with_copies(pairs, unknown_rows)
    table = world.ratings(rng, ratings, release.half_stars)
    titles = _titles(rng, movies, world.years)
    for original, copy in pairs:
        titles[copy] = titles[original]
    for row in unknown_rows:
        titles[row] = "unknown"
    user_ids = np.arange(1, users + 1)
    # Real releases have gaps in their movie ids; a stride of 1 or 2 plants some.
    movie_ids = np.cumsum(rng.integers(1, 3, size=movies))
    movie_genres = ["|".join(genres[g] for g in row) for row in world.movie_genres]
    frame = pd.DataFrame({
        "user_id": user_ids[table["user"]],
        "movie_id": movie_ids[table["movie"]],
        "rating": table["rating"],
        "timestamp": table["timestamp"],
    })
    with atomic_folder(Path(out)) as staging:
        writer = {Layout.ML100K: _write_ml100k, Layout.DAT: _write_dat, Layout.CSV: _write_csv}
        writer[release.layout](staging, release, world, frame, user_ids, movie_ids, titles,
                               movie_genres)
        (staging / MARKER).write_text("a synthetic release by `movierec data synth`, which may "
                                      "replace this folder\n")
    aliases = {int(movie_ids[list(pair)].max()): int(movie_ids[list(pair)].min())
               for pair in pairs}
    return Planted(user_ids, movie_ids, world.favourite, world.movie_genres_main, genres,
                   aliases, tuple(int(movie_ids[row]) for row in unknown_rows))


def _flawed_rows(world: "_World", duplicates: int, unknown: int
                 ) -> tuple[list[tuple[int, int]], list[int]]:
    """(original, copy) rows of the films to list twice, and the rows to title "unknown".

    Picked by popularity without drawing from the generator, so that a release without flaws
    is the same as before they existed. As in ML-100K, the first listing of a film is among the
    most rated and the second has fewer ratings, some by users who rated the first too.
    """
    order = np.argsort(-world.popularity, kind="stable").tolist()
    middle = len(order) // 2  # at least `duplicates`: the copies never overlap the originals
    copies = order[middle : middle + duplicates]
    pairs = list(zip(order[:duplicates], copies, strict=True))
    taken = set(order[:duplicates]) | set(copies)
    return pairs, [row for row in reversed(order) if row not in taken][:unknown]


@dataclass(frozen=True)
class _World:
    taste: np.ndarray
    user_bias: np.ndarray
    activity: np.ndarray
    favourite: np.ndarray
    gender: np.ndarray
    age: np.ndarray
    occupation: np.ndarray
    factors: np.ndarray
    movie_bias: np.ndarray
    popularity: np.ndarray
    movie_genres: list[tuple[int, ...]]
    movie_genres_main: np.ndarray
    years: np.ndarray

    @classmethod
    def build(cls, rng: np.random.Generator, users: int, movies: int, n_genres: int,
              demographics: bool) -> "_World":
        centres = rng.normal(0, 1, size=(n_genres, FACTORS))
        gender = rng.integers(0, 2, size=users)
        age = rng.choice(len(codes.AGE_BUCKETS), size=users,
                         p=[0.04, 0.18, 0.35, 0.2, 0.08, 0.08, 0.07])
        occupation = rng.integers(0, len(codes.OCCUPATIONS), size=users)
        favourite = rng.integers(0, n_genres, size=users)
        if demographics:
            # Half of the users take a favourite decided by gender and age: signal to learn.
            by_group = (gender * 7 + age) % n_genres
            favourite = np.where(rng.random(users) < 0.5, by_group, favourite)
        taste = 0.6 * centres[favourite] + rng.normal(0, 0.4, size=(users, FACTORS))
        main = rng.integers(0, n_genres, size=movies)
        extra = rng.integers(0, n_genres, size=(movies, 2))
        counts = rng.choice([1, 2, 3], size=movies, p=[0.5, 0.35, 0.15])
        movie_genres = []
        for index in range(movies):
            chosen = [int(main[index])]
            for candidate in extra[index, : counts[index] - 1]:
                if int(candidate) not in chosen:
                    chosen.append(int(candidate))
            movie_genres.append(tuple(chosen))
        factors = 0.6 * centres[main] + rng.normal(0, 0.3, size=(movies, FACTORS))
        rank = rng.permutation(movies) + 1
        popularity = 1.0 / rank**0.9
        return cls(
            taste=taste / np.sqrt(FACTORS) * 2.0,
            user_bias=rng.normal(0, 0.35, size=users),
            activity=rng.pareto(1.5, size=users) + 1.0,
            favourite=favourite,
            gender=gender,
            age=age,
            occupation=occupation,
            factors=factors,
            movie_bias=rng.normal(0, 0.4, size=movies) + 0.3 * np.log(popularity * movies) / 5,
            popularity=popularity / popularity.sum(),
            movie_genres=movie_genres,
            movie_genres_main=main,
            years=rng.integers(1930, 2024, size=movies),
        )

    def with_copies(self, pairs: list[tuple[int, int]], unknown_rows: list[int]) -> "_World":
        """This world with each copy row made the same film as its original, and no year for
        the unknown rows (0, which the writers leave out)."""
        if not pairs and not unknown_rows:
            return self
        factors, movie_bias = self.factors.copy(), self.movie_bias.copy()
        main, years = self.movie_genres_main.copy(), self.years.copy()
        movie_genres = list(self.movie_genres)
        for original, copy in pairs:
            factors[copy], movie_bias[copy] = factors[original], movie_bias[original]
            main[copy], years[copy] = main[original], years[original]
            movie_genres[copy] = movie_genres[original]
        years[unknown_rows] = 0
        return replace(self, factors=factors, movie_bias=movie_bias, movie_genres_main=main,
                       years=years, movie_genres=movie_genres)

    def ratings(self, rng: np.random.Generator, total: int, half_stars: bool) -> dict:
        users, movies = len(self.taste), len(self.factors)
        per_user = self._ratings_per_user(total, movies)
        user = np.repeat(np.arange(users), per_user)
        movie = _distinct_movies_per_user(rng, per_user, self.popularity)
        score = np.empty(len(user), dtype=np.float32)
        for start in range(0, len(user), 1 << 21):
            part = slice(start, start + (1 << 21))
            u, m = user[part], movie[part]
            score[part] = (3.55 + self.user_bias[u] + self.movie_bias[m]
                           + np.einsum("ij,ij->i", self.taste[u], self.factors[m])
                           + rng.normal(0, 0.6, size=len(u)))
        step, low = (0.5, 0.5) if half_stars else (1.0, 1.0)
        rating = np.clip(np.round(score / step) * step, low, 5.0).astype(np.float32)
        first = rng.integers(_START, _START + _SPAN, size=users)
        timestamp = first[user] + rng.integers(0, 86_400 * 90, size=len(user))
        order = rng.permutation(len(user))
        return {"user": user[order], "movie": movie[order], "rating": rating[order],
                "timestamp": timestamp[order]}

    def _ratings_per_user(self, total: int, movies: int) -> np.ndarray:
        spare = total - MIN_RATINGS_PER_USER * len(self.activity)
        share = self.activity / self.activity.sum()
        extra = np.floor(share * spare).astype(np.int64)
        extra[np.argsort(-share)[: spare - extra.sum()]] += 1
        per_user = MIN_RATINGS_PER_USER + extra
        cap = movies // 2
        overflow = np.maximum(per_user - cap, 0).sum()
        per_user = np.minimum(per_user, cap)
        # What the heaviest users could not take goes to the others, a few each.
        while overflow:
            room = cap - per_user
            receivers = np.flatnonzero(room > 0)
            give = np.minimum(room[receivers], -(-overflow // len(receivers)))
            give = np.minimum(give, overflow - np.concatenate([[0], np.cumsum(give)[:-1]]))
            give = np.maximum(give, 0)
            per_user[receivers] += give
            overflow -= int(give.sum())
        return per_user


def _distinct_movies_per_user(rng: np.random.Generator, per_user: np.ndarray,
                              popularity: np.ndarray) -> np.ndarray:
    """For each user, `per_user[u]` distinct movies drawn by popularity (vectorised rejection)."""
    movies = len(popularity)
    cumulative = np.cumsum(popularity)
    total = int(per_user.sum())
    owner = np.repeat(np.arange(len(per_user)), per_user)
    chosen = np.searchsorted(cumulative, rng.random(total) * cumulative[-1]).clip(0, movies - 1)
    while True:
        key = owner.astype(np.int64) * movies + chosen
        order = np.argsort(key, kind="stable")
        duplicate = np.zeros(total, dtype=bool)
        duplicate[order[1:]] = key[order[1:]] == key[order[:-1]]
        if not duplicate.any():
            return chosen
        # Redraw duplicates uniformly: popular movies are already taken by these users.
        chosen[duplicate] = rng.integers(0, movies, size=int(duplicate.sum()))


def _titles(rng: np.random.Generator, count: int, years: np.ndarray) -> list[str]:
    words = resources.files("movierec.data").joinpath("words.txt").read_text().split()
    picks = rng.integers(0, len(words), size=(count, 3))
    lengths = rng.integers(1, 4, size=count)
    style = rng.random(count)
    titles = []
    for index in range(count):
        name = " ".join(words[w].capitalize() for w in picks[index, : lengths[index]])
        if style[index] < 0.15:
            name = f"{name}, The"  # articles move to the end, as in the real releases
        elif style[index] < 0.2:
            name = f"{name} (Le {words[picks[index, 0]]})"  # an alternative title
        elif style[index] < 0.23:
            name = f"{name}, Part {index % 3 + 2}"  # a comma that CSV must quote
        elif style[index] < 0.25:
            name = f"Café {name}"  # an accent
        titles.append(f"{name} ({years[index]})")
    # Titles repeat across a large synthetic catalogue; a number keeps each one distinct.
    seen: dict[str, int] = {}
    for index, title in enumerate(titles):
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1:
            stem, year = title.rsplit(" (", 1)
            titles[index] = f"{stem} {seen[title]} ({year}"
    return titles


def _write_ml100k(folder: Path, release: Release, world: _World, frame: pd.DataFrame,
                  user_ids: np.ndarray, movie_ids: np.ndarray, titles: list[str],
                  movie_genres: list[str]) -> None:
    _write_delimited(folder / "u.data", frame, "\t")
    flags = np.zeros((len(movie_ids), len(codes.ML100K_GENRES)), dtype=np.int8)
    for index, genres in enumerate(world.movie_genres):
        flags[index, [g + 1 for g in genres]] = 1
    lines = []
    for index, movie_id in enumerate(movie_ids):
        year = world.years[index]
        flag_text = "|".join(map(str, flags[index]))
        date = f"01-Jan-{year}" if year else ""
        lines.append(f"{movie_id}|{titles[index]}|{date}||http://example.invalid/"
                     f"{movie_id}|{flag_text}")
    (folder / "u.item").write_bytes(("\n".join(lines) + "\n").encode("latin-1", "replace"))
    words = sorted(codes.ML100K_OCCUPATIONS)
    ages = np.array([12, 20, 30, 40, 47, 52, 60])[world.age] + (user_ids % 3)
    lines = [
        f"{user_id}|{ages[i]}|{'FM'[world.gender[i]]}|{words[world.occupation[i] % len(words)]}|"
        f"{10000 + user_id}"
        for i, user_id in enumerate(user_ids)
    ]
    (folder / "u.user").write_text("\n".join(lines) + "\n", encoding="latin-1")


def _write_dat(folder: Path, release: Release, world: _World, frame: pd.DataFrame,
               user_ids: np.ndarray, movie_ids: np.ndarray, titles: list[str],
               movie_genres: list[str]) -> None:
    encoding = "latin-1" if release.has_demographics else "utf-8"
    _write_delimited(folder / "ratings.dat", frame, "::")
    lines = [f"{m}::{t}::{g}" for m, t, g in zip(movie_ids, titles, movie_genres, strict=True)]
    (folder / "movies.dat").write_bytes(("\n".join(lines) + "\n").encode(encoding, "replace"))
    if release.has_demographics:
        age_codes = np.array(list(codes.AGE_BUCKETS))[world.age]
        lines = [
            f"{u}::{'FM'[world.gender[i]]}::{age_codes[i]}::{world.occupation[i]}::{10000 + u}"
            for i, u in enumerate(user_ids)
        ]
        (folder / "users.dat").write_text("\n".join(lines) + "\n", encoding="latin-1")


def _write_csv(folder: Path, release: Release, world: _World, frame: pd.DataFrame,
               user_ids: np.ndarray, movie_ids: np.ndarray, titles: list[str],
               movie_genres: list[str]) -> None:
    ratings = frame.copy()
    ratings["rating"] = ratings["rating"].map("{:.1f}".format)
    _write_delimited(folder / "ratings.csv", ratings, ",",
                     header="userId,movieId,rating,timestamp")
    with (folder / "movies.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["movieId", "title", "genres"])
        for movie_id, title, genres in zip(movie_ids, titles, movie_genres, strict=True):
            writer.writerow([movie_id, title, genres or "(no genres listed)"])
    with (folder / "links.csv").open("w", encoding="utf-8", newline="") as stream:
        stream.write("movieId,imdbId,tmdbId\n")
        for index, movie_id in enumerate(movie_ids):
            tmdb = "" if index % 50 == 7 else str(1000 + index)  # some tmdbIds are blank
            stream.write(f"{movie_id},{100000 + index:07d},{tmdb}\n")


def _write_delimited(path: Path, frame: pd.DataFrame, separator: str,
                     header: str | None = None) -> None:
    """Large tables through pyarrow's writer; `::` is written as a placeholder byte and swapped in,
    since pyarrow writes one-character delimiters only."""
    placeholder = "\x01" if len(separator) > 1 else separator
    buffer = io.BytesIO()
    pacsv.write_csv(
        pa.Table.from_pandas(frame, preserve_index=False),
        buffer,
        write_options=pacsv.WriteOptions(include_header=False, delimiter=placeholder,
                                         quoting_style="none"),
    )
    body = buffer.getvalue()
    if placeholder != separator:
        body = body.replace(placeholder.encode(), separator.encode())
    with path.open("wb") as stream:
        if header:
            stream.write(header.encode() + b"\n")
        stream.write(body)
