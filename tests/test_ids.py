"""The one id lookup every layer builds on: positions in a sorted vocabulary, -1 where absent."""

import numpy as np

from movierec.ids import positions


def test_each_id_finds_its_position_and_an_unknown_one_minus_one():
    vocabulary = np.array([3, 10, 42], dtype=np.int64)
    found = positions(vocabulary, np.array([42, 3, 7, 10, 99, -5]))
    assert found.tolist() == [2, 0, -1, 1, -1, -1]
    assert found.dtype == np.int64


def test_the_shape_of_the_ids_is_kept():
    found = positions(np.array([1, 2]), np.array([[2, 5], [1, 1]]))
    assert found.tolist() == [[1, -1], [0, 0]]


def test_an_empty_vocabulary_knows_no_id():
    assert positions(np.empty(0, np.int64), np.array([0, 1])).tolist() == [-1, -1]
    assert positions(np.empty(0, np.int64), np.empty(0, np.int64)).shape == (0,)


def test_a_fraction_finds_no_id():
    assert positions(np.array([3, 4]), np.array([3.5, 4.0])).tolist() == [-1, 1]
