"""ML-1M's demographic codes, and how ML-100K's raw ages and occupation words map onto them.

ML-100K records age in years and occupation as a word; ML-1M uses bucket codes. To give both one
canonical form, ML-100K is mapped onto ML-1M's codes:

Ages: under 18 -> 1, 18-24 -> 18, 25-34 -> 25, 35-44 -> 35, 45-49 -> 45, 50-55 -> 50, 56+ -> 56.

Occupations (ML-100K word -> ML-1M code): administrator -> 3 clerical/admin, artist -> 2,
doctor -> 6 doctor/health care, educator -> 1 academic/educator, engineer -> 17
technician/engineer, entertainment -> 2 artist, executive -> 7 executive/managerial,
healthcare -> 6, homemaker -> 9, lawyer -> 11, librarian -> 1 academic/educator,
marketing -> 14 sales/marketing, none -> 19 unemployed, other -> 0, programmer -> 12,
retired -> 13, salesman -> 14, scientist -> 15, student -> 4 college/grad student,
technician -> 17, writer -> 20. ML-100K's students are not split by school level; its users are
mostly adults, so "college/grad student" is the better fit than "K-12 student".
"""

import numpy as np

AGE_BUCKETS: dict[int, str] = {
    1: "Under 18", 18: "18-24", 25: "25-34", 35: "35-44", 45: "45-49", 50: "50-55", 56: "56+",
}
"""ML-1M's age codes and their labels, in index order (the seed's age index 0..6)."""

OCCUPATIONS: dict[int, str] = {
    0: "other", 1: "academic/educator", 2: "artist", 3: "clerical/admin",
    4: "college/grad student", 5: "customer service", 6: "doctor/health care",
    7: "executive/managerial", 8: "farmer", 9: "homemaker", 10: "K-12 student", 11: "lawyer",
    12: "programmer", 13: "retired", 14: "sales/marketing", 15: "scientist", 16: "self-employed",
    17: "technician/engineer", 18: "tradesman/craftsman", 19: "unemployed", 20: "writer",
}
"""ML-1M's occupation codes; the code is also the seed's occupation index."""

GENDERS: dict[str, int] = {"F": 0, "M": 1}
"""The seed's gender index."""

GENDER_LABELS: dict[str, str] = {"F": "female", "M": "male"}
"""ML-1M's gender codes in words."""

ML100K_OCCUPATIONS: dict[str, int] = {
    "administrator": 3, "artist": 2, "doctor": 6, "educator": 1, "engineer": 17,
    "entertainment": 2, "executive": 7, "healthcare": 6, "homemaker": 9, "lawyer": 11,
    "librarian": 1, "marketing": 14, "none": 19, "other": 0, "programmer": 12, "retired": 13,
    "salesman": 14, "scientist": 15, "student": 4, "technician": 17, "writer": 20,
}

ML1M_GENRES: tuple[str, ...] = (
    "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
    "Western",
)

ML100K_GENRES: tuple[str, ...] = ("unknown", *ML1M_GENRES)
"""The 19 genre flags of `u.item`, in column order."""

_AGE_EDGES = np.array([18, 25, 35, 45, 50, 56])
_AGE_CODES = np.array(list(AGE_BUCKETS))


def age_bucket(years: np.ndarray) -> np.ndarray:
    """ML-1M age codes for ages in years (vectorised)."""
    return _AGE_CODES[np.searchsorted(_AGE_EDGES, np.asarray(years), side="right")]


def age_index(code: int) -> int:
    """The seed's age index (0..6) of an ML-1M age code."""
    return list(AGE_BUCKETS).index(code)
