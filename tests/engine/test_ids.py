"""IdIndex: rows of ids in artifact order, aliases followed only where a request names a film."""

import numpy as np
import pytest

from movierec.engine.errors import UnknownMovie, UnknownUser
from movierec.engine.ids import IdIndex


def test_rows_are_in_the_order_of_the_ids_and_minus_one_where_absent() -> None:
    index = IdIndex(np.array([30, 10, 20]), "movie", UnknownMovie, np.array([[11, 10]]))
    assert index.rows(np.array([10, 20, 30, 40])).tolist() == [1, 2, 0, -1]
    assert index.rows(np.array([11])).tolist() == [-1], "rows() follows no alias"
    assert index.indices(np.array([11, 30])).tolist() == [1, 0]
    with pytest.raises(UnknownMovie, match="no movie with id 40"):
        index.indices(np.array([10, 40]))


def test_an_empty_index_finds_nothing() -> None:
    index = IdIndex(np.empty(0, np.int64), "user", UnknownUser)
    assert index.rows(np.array([1, 2])).tolist() == [-1, -1]
    assert 1 not in index
