from datetime import datetime

from ninja import Schema
from pydantic import Field

STARS_HELP = (
    "0.5 to 5 in half stars, or 1 to 5 in whole stars: the served model's release decides, "
    "and a value between its steps is a 400"
)


def _stars() -> float:
    # strict: JSON true is not 1 star, and "4" is not a number.
    return Field(..., strict=True, ge=0.5, le=5, multiple_of=0.5, description=STARS_HELP)


class RatingIn(Schema):
    movie_id: int = Field(..., ge=1, le=2**31 - 1)
    stars: float = _stars()


class StarsIn(Schema):
    stars: float = _stars()


class RatingOut(Schema):
    movie_id: int
    stars: float
    created: datetime
    updated: datetime
