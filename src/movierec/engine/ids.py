"""Dataset ids to row indices and back, without a Python dict per id; aliases resolve too."""

from collections.abc import Callable, Collection
from typing import Any

import numpy as np

from movierec.engine.errors import InvalidRequest, NotFound
from movierec.ids import positions

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

    def present(self, item_ids: Collection[object]) -> list[int]:
        """The ids among `item_ids` that are in the index (an alias counts), in the order
        given: `in` for many at once; anything but a whole number is left out."""
        ids = [int(item) for item in item_ids  # type: ignore[call-overload]
               if _is_id(item) and _INT64.min <= item <= _INT64.max]  # type: ignore[operator]
        if not ids:
            return []
        wanted = np.array(ids, dtype=np.int64)
        return wanted[self.rows(self.canonical(wanted)) >= 0].tolist()

    def canonical(self, item_ids: np.ndarray) -> np.ndarray:
        """`item_ids` with each alias replaced by the id it stands for; other ids as they are."""
        wanted = np.asarray(item_ids, dtype=np.int64)
        if not len(self._alias_ids):
            return wanted
        slots = positions(self._alias_ids, wanted)
        return np.where(slots >= 0, self._alias_targets[slots], wanted)

    def index(self, item_id: Any) -> int:
        """The row of `item_id` (or of the id it is an alias of); InvalidRequest for a
        non-integer, the not-found error if absent."""
        if not _is_id(item_id):
            raise InvalidRequest(f"a {self.kind} id is a whole number, not {item_id!r}")
        position = self._position(int(item_id))
        if position is None:
            raise self._not_found(f"no {self.kind} with id {item_id} in this model")
        return position

    def indices(self, item_ids: np.ndarray | list[object]) -> np.ndarray:
        """Rows of many ids (or aliases) at once; the not-found error naming the first unknown.
        A list is checked first: InvalidRequest names the first item that is no whole number."""
        if not isinstance(item_ids, np.ndarray):
            for item in item_ids:
                if not (_is_id(item) and _INT64.min <= item <= _INT64.max):  # type: ignore[operator]
                    self.index(item)  # raises: not a number, or no id of this size exists
            item_ids = np.array(item_ids, dtype=np.int64)
        wanted = self.canonical(item_ids)
        rows = self.rows(wanted)
        if np.any(rows < 0):
            missing = wanted[rows < 0][0]
            raise self._not_found(f"no {self.kind} with id {missing} in this model")
        return rows

    def rows(self, item_ids: np.ndarray) -> np.ndarray:
        """Rows of many ids at once, -1 for each id that is not one of `ids`.

        Aliases are not followed, so that a row answers for one id only: the evaluation scores
        one catalogue column per id, and a followed alias would count its film twice.
        """
        slots = positions(self._sorted, item_ids)
        found = slots >= 0
        rows = np.full(slots.shape, -1, dtype=np.int64)
        rows[found] = self._order[slots[found]]
        return rows

    def _position(self, item_id: int) -> int | None:
        if not _INT64.min <= item_id <= _INT64.max:
            return None  # a number no dataset uses as an id ("/movies/99999999999999999999/")
        row = int(self.rows(self.canonical(np.array([item_id])))[0])
        return row if row >= 0 else None

    def _check_aliases(self) -> None:
        """ValueError unless every alias is named once, is no id itself, and stands for an id."""
        aliases, targets = self._alias_ids, self._alias_targets
        if len(aliases) > 1 and np.any(aliases[1:] == aliases[:-1]):
            raise ValueError(f"a {self.kind} alias is listed twice")
        clash = aliases[self.rows(aliases) >= 0]
        if len(clash):
            raise ValueError(f"{self.kind} id {clash[0]} is both an id and an alias")
        missing = targets[self.rows(targets) < 0]
        if len(missing):
            raise ValueError(f"a {self.kind} alias stands for id {missing[0]}, not an id")


def _is_id(value: object) -> bool:
    # bool is an int subclass; True as a user id is a caller's bug, not user 1.
    return isinstance(value, int | np.integer) and not isinstance(value, bool)
