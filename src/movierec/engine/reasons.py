"""The short sentences that say why a movie was recommended."""

from movierec.data.codes import AGE_BUCKETS
from movierec.engine.demographics import Demographics

OCCUPATION_GROUPS: dict[int, str] = {
    0: "people",
    1: "academics/educators",
    2: "artists",
    3: "clerical/admin workers",
    4: "college/grad students",
    5: "customer service workers",
    6: "doctors/health care workers",
    7: "executives/managers",
    8: "farmers",
    9: "homemakers",
    10: "K-12 students",
    11: "lawyers",
    12: "programmers",
    13: "retirees",
    14: "sales/marketing people",
    15: "scientists",
    16: "self-employed people",
    17: "technicians/engineers",
    18: "tradesmen/craftsmen",
    19: "unemployed people",
    20: "writers",
}
"""ML-1M occupations as the plural noun of a group of people ("popular with programmers")."""


def stars(value: float) -> str:
    """4.0 -> "4 stars", 4.5 -> "4.5 stars", 1 -> "1 star"."""
    number = f"{value:g}"
    return f"{number} star" if number == "1" else f"{number} stars"


def because_you_rated(title: str, rating: float) -> str:
    return f"because you rated {title} {stars(rating)}"


def you_rated(rating: float) -> str:
    return f"you rated it {stars(rating)}"


def predicted_for_you(rating: float) -> str:
    return f"predicted {rating:.1f} stars for you"


def similar_to(title: str, shared_genres: list[str]) -> str:
    if not shared_genres:
        return f"similar to {title}"
    return f"similar to {title}: {', '.join(shared_genres)}"


def fans_liked(title: str, liked_by: int, audience: int) -> str:
    if liked_by == 0:
        return f"{title} fans are predicted to like it"
    return f"liked by {liked_by} of {audience} {title} fans"


def popular_with(who: Demographics) -> str:
    """A group of people: "popular with 25-34 programmers", "popular with women"..."""
    if who.occupation is not None:
        adjective = {"F": "female ", "M": "male ", None: ""}[who.gender]
        group = f"{adjective}{OCCUPATION_GROUPS[who.occupation]}"
    else:
        group = {"F": "women", "M": "men", None: "viewers"}[who.gender]
    if who.age is None:
        return f"popular with {group}"
    age = "under-18" if who.age == 1 else AGE_BUCKETS[who.age]
    return f"popular with {age} {group}"


def highly_rated(mean: float, count: int) -> str:
    if count == 0:
        return "new in the catalogue"
    noun = "rating" if count == 1 else "ratings"
    return f"highly rated: {mean:.1f} stars from {count:,} {noun}"
