"""Rankings the explanation needs: the largest entries of each row, and percentiles."""

import numpy as np
from numpy.typing import NDArray
from scipy import sparse


def top_per_row(matrix: sparse.csr_matrix, k: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For each row, the columns of its k largest entries (ties: the lower column first) and
    those entries; -1 and 0 fill rows with fewer."""
    matrix = matrix.tocsr()
    matrix.sum_duplicates()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(len(order)) - matrix.indptr[rows[order]]
    keep = order[rank < k]
    columns = np.full((matrix.shape[0], k), -1, dtype=np.int64)
    values = np.zeros((matrix.shape[0], k))
    place = rank[rank < k]
    columns[rows[keep], place] = matrix.indices[keep]
    values[rows[keep], place] = matrix.data[keep]
    return columns, values


def percentiles(score: NDArray[np.float64]) -> NDArray[np.float64]:
    """For each score, the share of people with a lower score, 0–100."""
    below = np.searchsorted(np.sort(score), score, side="left")
    return np.round(100.0 * below / max(len(score), 1), 2)
