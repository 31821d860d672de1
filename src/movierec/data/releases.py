"""The MovieLens releases movierec knows: where each lives, how to verify it, which layout it uses.

Figures come from DATA.md (GroupLens's archive sizes; sha256 as recorded by tensorflow-datasets).
Where a figure is unknown, verification falls back to the live `.md5` beside the archive.
"""

import math
from dataclasses import dataclass
from enum import Enum

from movierec.errors import UsageError

BASE_URL = "https://files.grouplens.org/datasets/movielens"


class Layout(Enum):
    """How a release's files are laid out on disk."""

    ML100K = "ml-100k"
    """`u.data` (tab), `u.item` and `u.user` (pipe), ISO-8859-1, ages in years."""
    DAT = "dat"
    """`ratings.dat`, `movies.dat` and maybe `users.dat`, `::`-separated, ISO-8859-1."""
    CSV = "csv"
    """`ratings.csv`, `movies.csv`, `links.csv`: UTF-8 with a header, quoted titles."""


@dataclass(frozen=True)
class Release:
    """One MovieLens release."""

    name: str
    """The archive's name without `.zip`, e.g. `ml-1m`."""
    folder: str
    """The folder the archive unpacks to."""
    layout: Layout
    has_demographics: bool
    """Whether the release ships gender, age, occupation and zip for its users."""
    half_stars: bool
    """Ratings in half-star steps from 0.5, rather than whole stars from 1."""
    size: int | None = None
    sha256: str | None = None
    md5: str | None = None
    counts: tuple[int, int, int] | None = None
    """(ratings, users, movies) as documented, for a sanity check after loading."""

    @property
    def url(self) -> str:
        return f"{BASE_URL}/{self.name}.zip"

    @property
    def md5_url(self) -> str:
        return f"{self.url}.md5"

    @property
    def rating_scale(self) -> tuple[float, float, float]:
        """(lowest, highest, step) of this release's ratings."""
        return (0.5, 5.0, 0.5) if self.half_stars else (1.0, 5.0, 1.0)


def liked_rating(low: float, high: float, step: float) -> float:
    """The rating from which a rating says "liked": three quarters up the scale, rounded up to
    a step (4 stars on 1-5 and on 0.5-5 half stars); the evaluation's relevance threshold."""
    raw = low + 0.75 * (high - low)
    return math.ceil(round(raw / step, 6)) * step


RELEASES: dict[str, Release] = {
    release.name: release
    for release in (
        Release(
            "ml-100k", "ml-100k", Layout.ML100K, True, False, size=4_924_029,
            sha256="50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
            md5="0e33842e24a9c977be4e0107933c0723", counts=(100_000, 943, 1_682),
        ),
        Release(
            "ml-1m", "ml-1m", Layout.DAT, True, False, size=5_917_549,
            sha256="a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
            md5="c4d9eecfca2ab87c1945afe126590906", counts=(1_000_209, 6_040, 3_883),
        ),
        Release(
            "ml-10m", "ml-10M100K", Layout.DAT, False, True,
            md5="ce571fd55effeba0271552578f2648bd", counts=(10_000_054, 71_567, 10_681),
        ),
        Release(
            "ml-20m", "ml-20m", Layout.CSV, False, True, size=198_702_078,
            sha256="96f243c338a8665f6bcc89c53edf6ee39162a846940de6b7c8c48aeada765ff3",
            md5="cd245b17a1ae2cc31bb14903e1204af3", counts=(20_000_263, 138_493, 27_278),
        ),
        Release(
            "ml-25m", "ml-25m", Layout.CSV, False, True, size=261_978_986,
            sha256="8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
            md5="6b51fb2759a8657d3bfcbfc42b592ada", counts=(25_000_095, 162_541, 62_423),
        ),
        Release(
            "ml-32m", "ml-32m", Layout.CSV, False, True, size=238_950_008,
            md5="d472be332d4daa821edc399621853b57", counts=(32_000_204, 200_948, 87_585),
        ),
        Release(
            "ml-latest-small", "ml-latest-small", Layout.CSV, False, True, size=978_202,
            sha256="696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
        ),
        Release("ml-latest", "ml-latest", Layout.CSV, False, True),
    )
}


def get_release(name: str) -> Release:
    """The release called `name`, or a UsageError listing the known names."""
    try:
        return RELEASES[name]
    except KeyError:
        known = ", ".join(RELEASES)
        raise UsageError(f"unknown release {name!r}: choose one of {known}") from None
