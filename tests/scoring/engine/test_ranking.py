import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from scipy import sparse

from scoring.engine.ranking import percentiles, top_per_row


def by_hand(dense, k):
    columns = np.full((dense.shape[0], k), -1)
    values = np.zeros((dense.shape[0], k))
    for r, row in enumerate(dense):
        ranked = sorted((-v, c) for c, v in enumerate(row) if v)[:k]
        for place, (v, c) in enumerate(ranked):
            columns[r, place], values[r, place] = c, -v
    return columns, values


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from([0, 0, 0, 1, 2, 2, 3.5]), min_size=6, max_size=6),
             min_size=1, max_size=8),
    st.integers(1, 4),
)  # fmt: skip
def test_top_per_row_matches_sorting_each_row_by_hand(rows, k):
    dense = np.array(rows, dtype=np.float64)

    columns, values = top_per_row(sparse.csr_matrix(dense), k)

    expected_columns, expected_values = by_hand(dense, k)
    assert_array_equal(columns, expected_columns)
    assert_array_equal(values, expected_values)


def test_percentile_is_the_share_of_people_with_a_lower_score():
    assert_array_equal(percentiles(np.array([10.0, 50.0, 50.0, 90.0])), [0.0, 25.0, 25.0, 75.0])
