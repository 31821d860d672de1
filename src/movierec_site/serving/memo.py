"""Answers that depend only on the model, remembered for as long as that model is served.

A model never changes once loaded, so a similar-movies list or a home page row computed once is
right until the next model replaces it; the memo is keyed by the engine object and goes with it.
Not functools.lru_cache: that would keep a replaced model, and all it built, alive until its
answers aged out, and it cannot key the closures the selectors pass.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar
from weakref import WeakKeyDictionary

from movierec.engine import Recommender

T = TypeVar("T")

MAX_ENTRIES = 20_000
"""Per model: enough for every movie's two lists on ML-1M, bounded on the larger releases."""

_memos: WeakKeyDictionary[Recommender, OrderedDict[Hashable, object]] = WeakKeyDictionary()
_lock = threading.Lock()


def memoized(engine: Recommender, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time `key` is asked of this engine, the remembered answer after.

    Errors are not remembered; an unknown id costs a lookup each time, which is cheap.
    """
    with _lock:
        memo = _memos.setdefault(engine, OrderedDict())
        if key in memo:
            memo.move_to_end(key)
            return memo[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        memo[key] = value
        if len(memo) > MAX_ENTRIES:
            memo.popitem(last=False)
    return value
