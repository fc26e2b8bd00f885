"""The connection to Jetstream: subscribe from the stored cursor, read frames, hand them to
the batch writer in batches (by count, or a second after the first of a batch), and on a
lost connection write what was read, wait (exponential backoff with jitter) and subscribe
again, to the next host of the list, from the cursor.

Jetstream replays from a cursor (µs since the epoch); hosts count time each their own way,
so the consumer asks from a few seconds before its cursor and leaves out what it has
written: events at or before the cursor, and records it holds already."""

import gc
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import cycle
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.db import DataError, IntegrityError
from websockets.exceptions import WebSocketException

from scoring.ingest.bluesky import events
from scoring.ingest.bluesky.batch import STREAM, BatchWriter, Written
from scoring.ingest.bluesky.connection import Connection
from scoring.ingest.writer import BatchError
from scoring.models import StreamCursor

logger = logging.getLogger(__name__)

REWIND_US = 3_000_000  # asked again before the cursor, for another host's clock
MAX_SOCKET_BYTES = 16 << 20  # larger frames close the connection; above MAX_FRAME_BYTES: skipped
OPEN_TIMEOUT_SECONDS = 10.0
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MOST_SECONDS = 60.0
REPORT_SECONDS = 60.0
# Objects the collector tracks, made and not yet freed, before it runs: more than a batch
# holds at once (about ten an event), so that a batch's objects are freed with the batch
# instead of being scanned, again and again, as survivors. At Python's 700 the collector took
# a sixth of the consumer's time (docs/PERFORMANCE.md, "The consumer's own time").
COLLECT_AFTER_OBJECTS = 100_000
# Events a transaction at most. A batch's statements cost much the same whatever its size, and
# the accounts and posts it names repeat within it: 10,000 took the stream from 19,700 to
# 23,900 events a second (docs/PERFORMANCE.md, "Batches of 10,000").
BATCH_EVENTS = 10_000
FLUSH_SECONDS = 1.0  # the longest an event waits for its batch


def subscription(url: str, cursor: int | None) -> str:
    """The subscribe address for the collections Sway reads, from `cursor` (µs) if given."""
    parts = urlsplit(url)
    query = [("wantedCollections", c) for c in events.COLLECTIONS]
    query.append(("maxMessageSizeBytes", str(events.MAX_FRAME_BYTES)))
    if cursor is not None:
        query.append(("cursor", str(max(cursor - REWIND_US, 0))))
    joined = "&".join(q for q in (parts.query, urlencode(query)) if q)
    return urlunsplit(parts._replace(query=joined))


def backoff(attempt: int) -> float:
    """Seconds to wait before the attempt'th reconnection in a row ("full jitter")."""
    return random.uniform(0, min(BACKOFF_MOST_SECONDS, BACKOFF_FIRST_SECONDS * 2**attempt))  # noqa: S311 - not a secret


@dataclass
class Totals:
    events: int = 0
    created: int = 0
    deleted: int = 0
    skipped: int = 0
    rejected: int = 0
    connections: int = 0

    def add(self, written: Written) -> None:
        self.events += written.events
        self.created += written.created
        self.deleted += written.deleted
        self.skipped += written.skipped

    def describe(self) -> str:
        return (
            f"events {self.events:,}, records created {self.created:,}, deleted "
            f"{self.deleted:,}, skipped (do not track) {self.skipped:,}, rejected "
            f"{self.rejected:,}, connections {self.connections:,}"
        )


@dataclass
class Consumer:
    urls: Sequence[str]
    batch_size: int = BATCH_EVENTS
    flush_seconds: float = FLUSH_SECONDS
    exit_when_idle: float | None = None  # seconds without a frame, then stop
    report: Callable[[str], object] = logger.info
    writer: BatchWriter = field(default_factory=BatchWriter)
    totals: Totals = field(default_factory=Totals)
    stopping: bool = False

    def __post_init__(self) -> None:
        stored = StreamCursor.objects.filter(pk=STREAM).values_list("time_us", flat=True)
        self.written_us: int | None = stored.first()
        self.read_us = self.written_us or 0  # the last event's time, written or pending
        self.pending: list[events.Event] = []
        self.pending_since = 0.0
        self.reported_at = time.monotonic()

    def run(self) -> None:
        """Consume until stopped (`stopping`), or idle as long as `exit_when_idle` says."""
        thresholds = gc.get_threshold()
        gc.set_threshold(COLLECT_AFTER_OBJECTS, *thresholds[1:])
        try:
            self._run()
        finally:
            gc.set_threshold(*thresholds)

    def _run(self) -> None:
        attempt = 0
        for url in cycle(self.urls):
            before = self.read_us
            try:
                with Connection(
                    subscription(url, self.written_us),
                    open_timeout=OPEN_TIMEOUT_SECONDS,
                    max_size=MAX_SOCKET_BYTES,
                ) as socket:
                    self.totals.connections += 1
                    self._consume(socket)
            except (OSError, WebSocketException) as error:  # TimeoutError is an OSError
                logger.warning("Jetstream at %s: %s", urlsplit(url).netloc, error)
            self._flush()
            if self.stopping:
                break
            attempt = 0 if self.read_us > before else attempt + 1  # else: no progress
            time.sleep(backoff(attempt))
        self.report(self.totals.describe())

    def _consume(self, socket: Connection) -> None:
        """Read frames until stopped, idle for good, or the connection is lost (raised)."""
        quiet_since = time.monotonic()
        while not self.stopping:
            try:
                frames = socket.receive(self._wait())
            except TimeoutError:
                self._flush_if_waited()
                idle = time.monotonic() - quiet_since
                if self.exit_when_idle is not None and idle >= self.exit_when_idle:
                    self.stopping = True
                continue
            quiet_since = time.monotonic()
            for frame in frames:
                self._take(frame)
                if len(self.pending) >= self.batch_size:
                    self._flush()
            self._flush_if_waited()

    @property
    def _unwritten(self) -> bool:
        """Whether the stream has gone past the stored cursor."""
        return self.read_us != (self.written_us or 0)

    def _wait(self) -> float:
        if self._unwritten:
            return max(self.pending_since + self.flush_seconds - time.monotonic(), 0.0)
        return min(self.flush_seconds, self.exit_when_idle or self.flush_seconds)

    def _take(self, frame: bytes) -> None:
        try:
            event = events.read(frame)
        except events.EventError as error:
            self.totals.rejected += 1
            logger.warning("skipped a Jetstream event: %s", error)
            if error.time_us is not None:
                self._advance(error.time_us)
            return
        if self._advance(event.time_us):
            self.pending.append(event)

    def _advance(self, time_us: int) -> bool:
        """Whether the stream has gone past what was read (else: a replay, left out)."""
        if time_us <= self.read_us:
            return False
        if not self._unwritten:
            self.pending_since = time.monotonic()
        self.read_us = time_us
        return True

    def _flush_if_waited(self) -> None:
        """Write the batch once its first event has waited `flush_seconds` (a full batch is
        written as it fills, in `_consume`)."""
        if time.monotonic() - self.pending_since >= self.flush_seconds:
            self._flush()

    def _flush(self) -> None:
        if not self._unwritten:
            return
        batch, self.pending = self.pending, []
        try:
            self.totals.add(self.writer.write(batch, self.read_us))
        except (BatchError, DataError, IntegrityError):
            logger.warning("a batch was refused; writing its events one by one", exc_info=True)
            self._write_one_by_one(batch, self.read_us)
        self.written_us = self.read_us
        if time.monotonic() - self.reported_at >= REPORT_SECONDS:
            self.reported_at = time.monotonic()
            self.report(self.totals.describe())

    def _write_one_by_one(self, batch: list[events.Event], time_us: int) -> None:
        """Each event in a transaction of its own; one the database refuses is left out."""
        for event in batch:
            try:
                self.totals.add(self.writer.write([event], event.time_us))
            except (BatchError, DataError, IntegrityError) as error:
                self.totals.rejected += 1
                logger.warning("skipped a Jetstream event at %s: %s", event.time_us, error)
        self.totals.add(self.writer.write([], time_us))
