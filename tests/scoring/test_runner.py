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
