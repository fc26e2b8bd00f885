"""The ids of the handles an import has already written, so that each batch asks the
database only about handles it has not met. Plain numeric external ids (every id of a SNAP
file) are kept in sorted arrays and looked up by NumPy a block at a time, many times faster
than one by one through a dictionary of strings (docs/PERFORMANCE.md, "Importing signals").
Other ids are kept in a dictionary."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np

type Int64s = np.ndarray[Any, np.dtype[np.int64]]
type HandleKey = tuple[str, str]  # (network, the network's id)

# Ids remembered before it starts over, so that memory stays bounded whatever the file's size
# (docs/PERFORMANCE.md, "Importing signals").
LIMIT = 2_000_000
PLAIN_DIGITS = 18  # the most that always fits a 64-bit integer


def is_plain_number(external_id: str) -> bool:
    """Decimal digits without a leading zero, short enough for an int64: the ids kept as
    numbers (anything else, "007" say, must stay text to stay itself)."""
    return (
        external_id.isascii()
        and external_id.isdigit()
        and len(external_id) <= PLAIN_DIGITS
        and (external_id[0] != "0" or external_id == "0")
    )


class KnownHandles:
    def __init__(self) -> None:
        self._numbers: dict[str, tuple[Int64s, Int64s]] = {}  # sorted external ids, handle ids
        self._texts: dict[str, dict[str, int]] = defaultdict(dict)
        self._count = 0

    def clear(self) -> None:
        self._numbers.clear()
        self._texts.clear()
        self._count = 0

    def of_numbers(self, network: str, numbers: Int64s) -> Int64s:
        """The handle id of each plain numeric external id, -1 where not known."""
        found = np.full(len(numbers), -1, dtype=np.int64)
        if network not in self._numbers:
            return found
        keys, ids = self._numbers[network]
        at = np.minimum(np.searchsorted(keys, numbers), len(keys) - 1)
        hit = keys[at] == numbers
        found[hit] = ids[at[hit]]
        return found

    def of_texts(self, network: str, external_ids: Iterable[str]) -> dict[str, int]:
        """The handle ids of those of these external ids that are known."""
        texts = self._texts[network]
        found: dict[str, int] = {}
        plain: list[str] = []
        for external_id in external_ids:
            if is_plain_number(external_id):
                plain.append(external_id)
            elif external_id in texts:
                found[external_id] = texts[external_id]
        if plain and network in self._numbers:  # else none is known: spare the conversion
            ids = self.of_numbers(network, np.array(list(map(int, plain)), dtype=np.int64))
            found.update((e, i) for e, i in zip(plain, ids.tolist(), strict=True) if i >= 0)
        return found

    def add(self, fresh: list[tuple[HandleKey, int]]) -> None:
        """Remember handles whose batch is committed (and none of them already)."""
        if self._count + len(fresh) > LIMIT:
            self.clear()
        numbers: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for (network, external_id), handle_id in fresh:
            if is_plain_number(external_id):
                numbers[network].append((int(external_id), handle_id))
            else:
                self._texts[network][external_id] = handle_id
        for network, pairs in numbers.items():
            self._add_numbers(network, np.array(pairs, dtype=np.int64))
        self._count += len(fresh)

    def _add_numbers(self, network: str, pairs: Int64s) -> None:
        pairs = pairs[np.argsort(pairs[:, 0])]
        if network not in self._numbers:
            self._numbers[network] = (pairs[:, 0].copy(), pairs[:, 1].copy())
            return
        keys, ids = self._numbers[network]
        at = np.searchsorted(keys, pairs[:, 0])
        self._numbers[network] = (np.insert(keys, at, pairs[:, 0]), np.insert(ids, at, pairs[:, 1]))
