import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from scoring.engine.grouping import sorted_unique, unique_inverse

LARGEST = np.iinfo(np.int64).max

keys = st.lists(st.integers(0, 50), max_size=40) | st.lists(st.integers(0, LARGEST), max_size=40)


@settings(max_examples=150, deadline=None)
@given(keys)
def test_unique_inverse_answers_as_numpy_does(values):
    """Small keys go through the packed sort, keys near 2**63 through np.unique itself."""
    array = np.array(values, dtype=np.int64)

    unique, inverse = unique_inverse(array)

    expected_unique, expected_inverse = np.unique(array, return_inverse=True)
    assert_array_equal(unique, expected_unique)
    assert_array_equal(inverse, expected_inverse)
    assert inverse.dtype == np.int64


@settings(max_examples=80, deadline=None)
@given(keys)
def test_sorted_unique_answers_as_numpy_does(values):
    array = np.array(values, dtype=np.int64)

    assert_array_equal(sorted_unique(array), np.unique(array))


def test_keys_that_would_overflow_when_packed_still_group():
    array = np.array([LARGEST // 2, 7, LARGEST // 2, 7, 0])

    unique, inverse = unique_inverse(array)

    assert_array_equal(unique, [0, 7, LARGEST // 2])
    assert_array_equal(inverse, [2, 1, 2, 1, 0])
