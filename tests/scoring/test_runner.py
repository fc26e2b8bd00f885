import threading

import pytest

from scoring.ingest.records import SourceLine
from scoring.ingest.runner import read_ahead


def test_reading_ahead_stops_when_the_consumer_stops_early():
    source = (SourceLine(f"line {n}", error="bad") for n in range(1000))
    done = threading.Event()

    def consume():
        for line in read_ahead(source, depth=2):
            if line.location == "line 3":
                break
        done.set()

    threading.Thread(target=consume, daemon=True).start()

    assert done.wait(timeout=5)


def test_an_error_while_reading_reaches_the_consumer():
    def failing():
        yield SourceLine("line 1", error="bad")
        raise OSError("disk gone")

    lines = read_ahead(failing())

    assert next(lines).location == "line 1"
    with pytest.raises(OSError, match="disk gone"):
        next(lines)


def test_lines_cross_in_lists_and_arrive_in_order():
    source = [SourceLine(f"line {n}", error="bad") for n in range(2500)]

    assert list(read_ahead(iter(source), depth=2, rows_at_once=7)) == source


def test_an_error_comes_after_every_line_read_before_it():
    def failing():
        yield from (SourceLine(f"line {n}", error="bad") for n in range(10))
        raise OSError("disk gone")

    read = []
    with pytest.raises(OSError, match="disk gone"):
        read.extend(line.location for line in read_ahead(failing(), rows_at_once=4))

    assert read == [f"line {n}" for n in range(10)]
