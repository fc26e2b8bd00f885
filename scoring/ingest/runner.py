"""Reads a source in batches and hands each to the writer: the import's error policy, its
progress line and its summary live here, the same for every format."""

import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol, TextIO

from scoring.ingest.records import SourceLine
from scoring.ingest.writer import BatchCounts, BatchError, SignalWriter

OnError = Literal["stop", "skip"]


class Messages(Protocol):
    def write(self, text: str, /) -> object: ...


DEFAULT_BATCH_SIZE = 100_000


@dataclass
class ImportSummary:
    read: int = 0
    counts: BatchCounts = field(default_factory=BatchCounts)
    rejected: int = 0
    stopped_at: str = ""  # the location that stopped an --on-error stop import
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        c = self.counts
        text = (
            f"read {self.read:,}, created {c.created:,}, duplicates {c.duplicates:,}, "
            f"rejected {self.rejected:,}, skipped (do not track) {c.skipped:,} "
            f"in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)"
        )
        if self.stopped_at:
            text += f"; stopped at {self.stopped_at}, nothing of its batch was written"
        return text


class Progress:
    """A self-overwriting line on a terminal; silent when output goes to a file or pipe."""

    def __init__(self, stream: TextIO | None = None, every: float = 0.5):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.every = every
        self.started = time.monotonic()
        self.shown_at = 0.0

    def update(self, summary: ImportSummary, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.shown_at < self.every):
            return
        self.shown_at = now
        rate = summary.read / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{summary.read:>12,} rows {summary.counts.created:>12,} created "
            f"{rate:>10,.0f} rows/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def import_source(
    source: Iterable[SourceLine],
    *,
    writer: SignalWriter | None = None,
    on_error: OnError = "stop",
    batch_size: int = DEFAULT_BATCH_SIZE,
    errors: Messages = sys.stderr,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every line of `source`. A bad line is reported as `location: reason`; with
    on_error="stop" the import ends there and its batch is not written, with "skip" it goes on."""
    run = _ImportRun(writer or SignalWriter(), on_error, errors)
    started = time.monotonic()
    batch: list[SourceLine] = []
    batched = 0
    try:
        for line in read_ahead(source):
            run.summary.read += line.size
            if line.record is None:
                if run.reject(line.location, line.error):
                    break
                continue
            batch.append(line)
            batched += line.size
            if batched >= batch_size:
                if run.write(batch):
                    break
                batched = 0
                if progress:
                    progress.update(run.summary)
        else:
            run.write(batch)
    finally:
        run.summary.counts.add(run.writer.finish())
    run.summary.seconds = time.monotonic() - started
    if progress:
        progress.update(run.summary, force=True)
        progress.finish()
    return run.summary


def read_ahead(
    source: Iterable[SourceLine], depth: int = 4, rows_at_once: int = 1000
) -> Iterator[SourceLine]:
    """Iterate `source` in a thread of its own, up to `depth` lists of lines ahead: parsing
    the next block goes on while the database works on the last one (the driver releases the
    GIL). Lines cross in lists of about `rows_at_once` rows: one at a time, the queue's locks
    cost more than reading a line."""
    chunks: queue.Queue[list[SourceLine | BaseException] | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(chunk: list[SourceLine | BaseException] | None) -> bool:
        """Queue a chunk unless the consumer has gone; False when it has."""
        while not stop.is_set():
            try:
                chunks.put(chunk, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        if _hand_over_in_chunks(source, hand_over, rows_at_once):
            hand_over(None)

    reader = threading.Thread(target=produce, name="import-reader", daemon=True)
    reader.start()
    try:
        while (chunk := chunks.get()) is not None:
            yield from _lines(chunk)
    finally:
        stop.set()
        reader.join()


def _hand_over_in_chunks(
    source: Iterable[SourceLine],
    hand_over: Callable[[list[SourceLine | BaseException]], bool],
    rows_at_once: int,
) -> bool:
    """Hand the source's lines over in lists, the error it raises (if it does) after the
    lines before it; False if the consumer went before the end."""
    chunk: list[SourceLine | BaseException] = []
    rows = 0
    try:
        for line in source:
            chunk.append(line)
            rows += line.size
            if rows >= rows_at_once:
                if not hand_over(chunk):
                    return False
                chunk, rows = [], 0
    except BaseException as error:  # raised by the consumer
        chunk.append(error)
    return hand_over(chunk)


def _lines(chunk: list[SourceLine | BaseException]) -> Iterator[SourceLine]:
    for line in chunk:
        if isinstance(line, BaseException):
            raise line
        yield line


class _ImportRun:
    def __init__(self, writer: SignalWriter, on_error: OnError, errors: Messages):
        self.writer = writer
        self.on_error = on_error
        self.errors = errors
        self.summary = ImportSummary()

    def reject(self, location: str, reason: str) -> bool:
        """Report a bad line; True when the import must stop there."""
        self.errors.write(f"{location}: {reason}\n")
        self.summary.rejected += 1
        if self.on_error == "stop":
            self.summary.stopped_at = location
            return True
        return False

    def write(self, batch: list[SourceLine]) -> bool:
        """Write the batch (without the lines the database refuses); True to stop."""
        while batch:
            try:
                self.summary.counts.add(self.writer.write(batch))
            except BatchError as error:
                if self.reject(error.location, error.reason):
                    return True
                before = len(batch)
                batch[:] = [line for line in batch if line.location != error.location]
                if len(batch) == before:  # cannot happen: every error names a batch line
                    raise
            else:
                batch.clear()
        return False
