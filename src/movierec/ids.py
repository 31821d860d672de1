"""Where ids sit in a sorted vocabulary of ids: the one lookup every layer builds on."""

import numpy as np


def positions(vocabulary: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The int64 position of each of `ids` in the sorted, unique `vocabulary`; -1 where absent."""
    ids = np.asarray(ids)  # not cast to int64: 3.5 is no id, and must not find id 3
    if not len(vocabulary):
        return np.full(ids.shape, -1, dtype=np.int64)
    slots = np.searchsorted(vocabulary, ids).clip(0, len(vocabulary) - 1)
    return np.where(vocabulary[slots] == ids, slots, -1)
