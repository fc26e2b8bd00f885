"""Rankings the explanation needs: the largest entries of each row, and percentiles."""

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

# Entries equal to this many decimals tie: the same sums added in another order (another
# engine's, or another partitioning's) differ in their last bits, and must rank alike.
TIE_DECIMALS = 9


def top_per_row(matrix: sparse.csr_matrix, k: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For each row, the columns of its k largest entries (ties, to TIE_DECIMALS: the lower
    column first) and those entries; -1 and 0 fill rows with fewer. k passes over the entries,
    each taking every row's largest at once: no sort of millions of entries."""
    matrix = matrix.tocsr()
    matrix.sum_duplicates()
    matrix.sort_indices()
    rows = matrix.shape[0]
    columns = np.full((rows, k), -1, dtype=np.int64)
    values = np.zeros((rows, k))
    counts = np.diff(matrix.indptr)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return columns, values
    starts = matrix.indptr[filled]
    remaining = np.round(matrix.data.astype(np.float64), TIE_DECIMALS)
    position = np.arange(len(remaining))
    for rank in range(k):
        best = np.maximum.reduceat(remaining, starts)
        at_best = remaining == np.repeat(best, counts[filled])
        first = np.minimum.reduceat(np.where(at_best, position, len(remaining)), starts)
        found = np.isfinite(best)
        row, place = filled[found], first[found]
        columns[row, rank] = matrix.indices[place]
        values[row, rank] = matrix.data[place]
        remaining[place] = -np.inf
    return columns, values


def percentiles(score: NDArray[np.float64]) -> NDArray[np.float64]:
    """For each score, the share of people with a lower score, 0–100."""
    below = np.searchsorted(np.sort(score), score, side="left")
    return percent_of(below, len(score))


def percent_of(below: NDArray[np.int64], people: int) -> NDArray[np.float64]:
    """How many people score lower, as a share of all `people`, 0–100."""
    return np.round(100.0 * below / max(people, 1), 2)
