"""Dataset ids to row indices and back, without a Python dict per id; aliases resolve too."""

from collections.abc import Callable
from typing import Any

import numpy as np

from movierec.engine.errors import InvalidRequest, NotFound

_INT64 = np.iinfo(np.int64)


class IdIndex:
    """Maps the ids in `ids` (unique integers, any order) to their positions.

    A sorted copy and `searchsorted` cost 12 bytes per id and a binary search per lookup, where a
    dict would cost about a hundred bytes per id on a 200k-user model.

    `aliases` (A, 2) are other ids of the same items (alias id, an id of `ids`): a film the
    release listed twice was merged into one id, and its other id still finds it.
    """

    def __init__(
        self,
        ids: np.ndarray,
        kind: str,
        not_found: Callable[[str], NotFound],
        aliases: np.ndarray | None = None,
    ) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.kind = kind
        self._not_found = not_found
        self._order = np.argsort(self.ids, kind="stable")
        self._sorted = self.ids[self._order]
        if len(self._sorted) > 1 and np.any(self._sorted[1:] == self._sorted[:-1]):
            raise ValueError(f"the {kind} ids are not unique")
        pairs = np.empty((0, 2), np.int64) if aliases is None else np.asarray(aliases, np.int64)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        self._alias_ids, self._alias_targets = pairs[:, 0], pairs[:, 1]
        self._check_aliases()

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, item_id: object) -> bool:
        return _is_id(item_id) and self._position(int(item_id)) is not None  # type: ignore[arg-type]

    def canonical(self, item_ids: np.ndarray) -> np.ndarray:
        """`item_ids` with each alias replaced by the id it stands for; other ids as they are."""
        wanted = np.asarray(item_ids, dtype=np.int64)
        if not len(self._alias_ids):
            return wanted
        slots = np.clip(np.searchsorted(self._alias_ids, wanted), 0, len(self._alias_ids) - 1)
        return np.where(self._alias_ids[slots] == wanted, self._alias_targets[slots], wanted)

    def index(self, item_id: Any) -> int:
        """The row of `item_id` (or of the id it is an alias of); InvalidRequest for a
        non-integer, the not-found error if absent."""
        if not _is_id(item_id):
            raise InvalidRequest(f"a {self.kind} id is a whole number, not {item_id!r}")
        position = self._position(int(item_id))
        if position is None:
            raise self._not_found(f"no {self.kind} with id {item_id} in this model")
        return position

    def indices(self, item_ids: np.ndarray) -> np.ndarray:
        """Rows of many ids (or aliases) at once; the not-found error naming the first unknown."""
        wanted = self.canonical(item_ids)
        slots, found = self._lookup(wanted)
        if not np.all(found):
            missing = wanted[~found][0]
            raise self._not_found(f"no {self.kind} with id {missing} in this model")
        return self._order[slots]

    def _position(self, item_id: int) -> int | None:
        if not _INT64.min <= item_id <= _INT64.max:
            return None  # a number no dataset uses as an id ("/movies/99999999999999999999/")
        slots, found = self._lookup(self.canonical(np.array([item_id])))
        return int(self._order[slots[0]]) if found[0] else None

    def _lookup(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Slots in the sorted ids, and whether each id is there (aliases not resolved)."""
        if not len(self._sorted):
            return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
        slots = np.clip(np.searchsorted(self._sorted, wanted), 0, len(self._sorted) - 1)
        return slots, self._sorted[slots] == wanted

    def _check_aliases(self) -> None:
        """ValueError unless every alias is named once, is no id itself, and stands for an id."""
        aliases, targets = self._alias_ids, self._alias_targets
        if len(aliases) > 1 and np.any(aliases[1:] == aliases[:-1]):
            raise ValueError(f"a {self.kind} alias is listed twice")
        clash = aliases[self._lookup(aliases)[1]]
        if len(clash):
            raise ValueError(f"{self.kind} id {clash[0]} is both an id and an alias")
        missing = targets[~self._lookup(targets)[1]]
        if len(missing):
            raise ValueError(f"a {self.kind} alias stands for id {missing[0]}, not an id")


def _is_id(value: object) -> bool:
    # bool is an int subclass; True as a user id is a caller's bug, not user 1.
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
