"""What the API's routers declare alike: the error body, the statuses any endpoint may answer
with it (those of `serving.errors`), and the movie id and count parameters."""

from ninja import Path, Query
from pydantic import BaseModel


class ErrorOut(BaseModel):
    detail: str


ERRORS = {400: ErrorOut, 404: ErrorOut, 503: ErrorOut}
Count = Query(10, ge=1, le=100, description="How many movies to return")
MovieId = Path(..., ge=1, le=2**31 - 1, description="The dataset's movie id")
