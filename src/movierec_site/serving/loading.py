"""Loading a model ready to serve: the engine builds some indexes on first use (title search,
fold-in statistics, who rated what); building them at load keeps that cost off every request."""

from pathlib import Path

from movierec.engine import Recommender


def load_warm(path: Path) -> Recommender:
    """The model at `path`, with its lazily built parts built."""
    engine = Recommender.from_artifact(path)
    first_movie = int(engine.tables.movies.ids[0])
    engine.search("a", n=1)
    engine.for_new_user({first_movie: float(engine.tables.scale.high)}, n=1)
    engine.also_liked(first_movie, n=1, audience="raters")
    return engine
