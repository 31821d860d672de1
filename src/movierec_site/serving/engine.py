"""The engine a request uses: the model published at `settings.MOVIEREC_MODEL`.

One store per link path: production has one; tests point MOVIEREC_MODEL at links of their own.
"""

import threading
from pathlib import Path

from django.conf import settings

from movierec.engine import Recommender
from movierec_site.serving.store import LoadedModel, ModelStore

_stores: dict[Path, ModelStore] = {}
_stores_lock = threading.Lock()


def model_store() -> ModelStore:
    """The store serving the configured model link, created on first use."""
    link = Path(settings.MOVIEREC_MODEL)
    store = _stores.get(link)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(
                link,
                ModelStore(
                    link, load=_load_warm, check_every=settings.MOVIEREC_MODEL_CHECK_SECONDS
                ),
            )
    return store


def _load_warm(path: Path) -> Recommender:
    """The model at `path` with what it builds on first use built, so no request pays for it."""
    return Recommender.from_artifact(path).warm()


def current_model() -> LoadedModel:
    """The model being served; NoPublishedModel or ModelUnavailable when there is none."""
    return model_store().get()


def current_engine() -> Recommender:
    """The recommender of the model being served."""
    return current_model().engine
