"""Grouping equal integer keys, by the sort NumPy does fastest.

NumPy's sort of integers is many times faster than its argsort where the CPU lacks AVX-512,
and `np.unique(..., return_inverse=True)` argsorts; so here a key and its position are sorted
together as one integer (figures: docs/PERFORMANCE.md, "The scoring engine").
"""

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]


def unique_inverse(keys: Ints) -> tuple[Ints, Ints]:
    """`np.unique(keys, return_inverse=True)` for integer keys: when the keys are not negative
    and each with its position fits in 63 bits, the two travel together in one sorted integer."""
    count = len(keys)
    if not count or keys.min() < 0 or keys.max() >= np.iinfo(np.int64).max // count:
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.astype(np.int64, copy=False)
    packed = np.sort(keys.astype(np.int64, copy=False) * count + np.arange(count))
    ordered, position = np.divmod(packed, count)
    first = _firsts(ordered)
    inverse = np.empty(count, dtype=np.int64)
    inverse[position] = np.cumsum(first) - 1
    return ordered[first], inverse


def sorted_unique(keys: Ints) -> Ints:
    """`np.unique(keys)` by sorting: for integers NumPy 2.3+ hashes instead, which is many times
    slower on millions of distinct keys (docs/PERFORMANCE.md, "The scoring engine")."""
    ordered = np.sort(keys)
    return ordered[_firsts(ordered)]


def _firsts(ordered: Ints) -> NDArray[np.bool_]:
    """Where each run of equal values in `ordered` starts."""
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first
