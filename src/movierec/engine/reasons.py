"""Why a movie was recommended, as `Reason` records; the CLI and the web put them into words."""

from movierec.data.codes import AGE_BUCKETS
from movierec.engine.demographics import Demographics
from movierec.engine.results import Reason

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


def you_rated(rating: float) -> Reason:
    return Reason("rated_it", stars=float(rating))


def because_you_rated(movie_id: int, title: str, rating: float) -> Reason:
    return Reason("rated_similar", movie_id=movie_id, title=title, stars=float(rating))


def predicted_for_you(rating: float) -> Reason:
    return Reason("predicted", stars=round(float(rating), 3))


def similar_to(movie_id: int, title: str, shared_genres: list[str]) -> Reason:
    return Reason("similar_to", movie_id=movie_id, title=title, genres=tuple(shared_genres))


def fans_liked(movie_id: int, title: str, liked_by: int, audience: int, liked: float) -> Reason:
    """`liked_by` of the `audience` viewers who like the movie most rated it `liked`+ stars."""
    return Reason(
        "audience_liked",
        movie_id=movie_id,
        title=title,
        stars=float(liked),
        count=liked_by,
        audience=audience,
    )


def popular_with(who: Demographics) -> Reason:
    """A group of people: "25-34 programmers", "women"..."""
    if who.occupation is not None:
        adjective = {"F": "female ", "M": "male ", None: ""}[who.gender]
        group = f"{adjective}{OCCUPATION_GROUPS[who.occupation]}"
    else:
        group = {"F": "women", "M": "men", None: "viewers"}[who.gender]
    if who.age is not None:
        age = "under-18" if who.age == 1 else AGE_BUCKETS[who.age]
        group = f"{age} {group}"
    return Reason("popular_with", group=group)


def highly_rated(mean: float, count: int) -> Reason:
    if count == 0:
        return Reason("highly_rated", count=0)
    return Reason("highly_rated", stars=round(float(mean), 3), count=count)


def widely_liked(count: int, liked: float) -> Reason:
    """`count` training ratings of the movie gave it `liked`+ stars: the new-user head's prior,
    not any rating of the person's, put it in the list."""
    return Reason("widely_liked", stars=float(liked), count=int(count))
