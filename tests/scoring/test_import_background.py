"""Interactions written on a second connection while the import goes on: outside a caller's
transaction, so these tests commit for real (and the database is emptied after each)."""

import pytest
from django.core.management.base import CommandError
from django.db import connection

from scoring.ingest.background import InBackground
from scoring.ingest.formats import snap
from scoring.ingest.runner import import_source
from tests.scoring.test_import_snap import EXPECTED, LINES, stored, write

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes on one connection"),
]


def backend_pid(_: object) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_work_runs_on_a_connection_of_its_own_in_the_order_handed_over():
    done: list[int] = []
    background = InBackground(done.append, "test", depth=2)

    waited_for = [background.hand_over(piece) for piece in range(5)]

    assert background.close() == [None, None]
    assert done == [0, 1, 2, 3, 4]
    assert waited_for == [[], [], [None], [None], [None]]  # two in flight at most
    background = InBackground(backend_pid, "test", depth=1)
    background.hand_over(None)
    assert background.close() != [backend_pid(None)]


def test_a_failure_is_raised_once_the_pieces_behind_it_are_done():
    done: list[int] = []

    def task(piece: int) -> None:
        if piece == 1:
            raise ValueError("piece 1 failed")
        done.append(piece)

    background = InBackground(task, "test", depth=4)
    for piece in range(3):
        background.hand_over(piece)

    with pytest.raises(ValueError, match="piece 1 failed"):
        background.close()
    assert done == [0, 2]


def test_every_interaction_of_every_batch_is_written_and_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(snap, "BLOCK_BYTES", 1)  # a block and a batch a line: many in flight
    path = write(tmp_path, LINES)

    first = import_source(snap.read(path, "twitter"), batch_size=1)
    again = import_source(snap.read(path, "twitter"), batch_size=1)

    assert (first.counts.created, first.counts.duplicates) == (4, 0)
    assert (again.counts.created, again.counts.duplicates) == (0, 4)
    assert stored() == EXPECTED


def test_a_bad_line_leaves_the_batches_before_it_whole_and_nothing_of_its_own(
    tmp_path, import_signals, monkeypatch
):
    monkeypatch.setattr(snap, "BLOCK_BYTES", 1)
    path = write(tmp_path, [*LINES[:3], "33 11 yesterday MT", LINES[3]])

    with pytest.raises(CommandError, match="stopped at the first bad line"):
        import_signals(path, format="snap", network="twitter", batch_size=2)

    assert stored() == [EXPECTED[0], EXPECTED[2]]  # the first batch: the first two lines
