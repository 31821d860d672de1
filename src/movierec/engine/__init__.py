"""Serving recommendations from a model artifact, with numpy only (no torch, pandas or Django).

from movierec.engine import Recommender, Filters
engine = Recommender.from_artifact("path/to/model")
engine.for_user(42, n=10, filters=Filters(genres=("Comedy",)))
engine.similar_movies(1)
engine.also_liked(1)
engine.for_new_user({1: 5, 50: 4}, age=25, gender="F", occupation=12)
engine.search("toy stroy")
engine.most_rated(20, filters=Filters(year_min=1990)), engine.rating_histogram(1)
engine.browse(20, order="title", filters=Filters(genres=("Drama",), exclude=(50,)))
engine.predicted_stars([1, 50], ratings={1: 5})

Every list method takes (subject, n=10, *, filters=None, ...) and returns fewer than n when
fewer movies qualify. A recommendation's reason is a `Reason` record; the CLI and the web put
it into words.
"""

from movierec.engine.audience import AUDIENCES, Audience
from movierec.engine.batch import top_n_blocks, write_top_n_csv
from movierec.engine.browsing import BROWSE_ORDERS, BrowseOrder
from movierec.engine.catalogue import display_title
from movierec.engine.errors import (
    InvalidRequest,
    NoPublishedModel,
    NotFound,
    UnknownMovie,
    UnknownUser,
)
from movierec.engine.filters import Filters
from movierec.engine.published import published_model_dir
from movierec.engine.recommender import Recommender
from movierec.engine.results import (
    ExternalIds,
    Movie,
    RatingScale,
    Reason,
    ReasonKind,
    Recommendation,
    SearchHit,
    SearchKind,
)

__all__ = [
    "AUDIENCES",
    "BROWSE_ORDERS",
    "Audience",
    "BrowseOrder",
    "ExternalIds",
    "Filters",
    "InvalidRequest",
    "Movie",
    "NoPublishedModel",
    "NotFound",
    "RatingScale",
    "Reason",
    "ReasonKind",
    "Recommendation",
    "Recommender",
    "SearchHit",
    "SearchKind",
    "UnknownMovie",
    "UnknownUser",
    "display_title",
    "published_model_dir",
    "top_n_blocks",
    "write_top_n_csv",
]
