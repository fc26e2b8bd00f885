"""The import's memory of the handles it has written: numbers by NumPy, other ids by text."""

import numpy as np
import pytest

from scoring.ingest import known_handles
from scoring.ingest.known_handles import KnownHandles, is_plain_number


@pytest.mark.parametrize(
    ("external_id", "plain"),
    [("0", True), ("42", True), ("9" * 18, True), ("9" * 19, False), ("007", False),
     ("\u0661", False), ("²", False), ("", False), ("alice", False), ("-5", False)],
)  # fmt: skip
def test_plain_numbers_are_those_an_int64_keeps_as_they_are(external_id, plain):
    assert is_plain_number(external_id) is plain


def test_numbers_and_texts_are_found_whichever_way_they_are_asked_for():
    known = KnownHandles()
    known.add([(("twitter", "30"), 3), (("twitter", "10"), 1), (("twitter", "007"), 7)])
    known.add([(("twitter", "20"), 2), (("mastodon", "10"), 11)])

    assert known.of_numbers("twitter", np.array([20, 5, 10, 30, 99])).tolist() == [2, -1, 1, 3, -1]
    assert known.of_numbers("instagram", np.array([10])).tolist() == [-1]
    assert known.of_texts("twitter", ["10", "007", "7", "x"]) == {"10": 1, "007": 7}
    assert known.of_texts("mastodon", {"10", "20"}) == {"10": 11}


def test_it_starts_over_rather_than_grow_past_its_limit(monkeypatch):
    monkeypatch.setattr(known_handles, "LIMIT", 3)
    known = KnownHandles()
    known.add([(("twitter", "1"), 1), (("twitter", "a"), 2)])
    known.add([(("twitter", "2"), 3), (("twitter", "b"), 4)])

    assert known.of_texts("twitter", ["1", "a", "2", "b"]) == {"2": 3, "b": 4}
