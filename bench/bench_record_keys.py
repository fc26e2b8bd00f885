"""The stream's `BlueskyRecord` key (issue 24): the record key first, as migration 0023 has it,
against the author's DID first, as before. Record keys are TIDs, which rise with time, so with
the record key first each new record goes to the right edge of the key's index; with the DID
first, anywhere in it, and once the index outgrows PostgreSQL's buffers most inserts touch a
page not in them.

Two copies of the migrated table (`LIKE scoring_blueskyrecord`), one keyed each way, are filled
with BENCH_RECORD_KEYS_ROWS (8,000,000) likes of 200,000 accounts (activity skewed as in
bench.jetstream_mix), vacuumed and checkpointed; then BENCH_RECORD_KEYS_BATCHES (40) batches of
5,000 newer records are kept as `scoring.ingest.bluesky.queries.keep_records` kept them when this
was measured (COPY into a stage, INSERT … ON CONFLICT DO NOTHING RETURNING the keys; it now
copies straight into the table, the stage only for a replay), each batch into both tables,
which goes first taking turns."""

import json
import os
import random
import statistics
import time
from collections.abc import Iterator

import psycopg

from bench.support import fresh_database, machine

KEYS = {"did first (before)": "did, collection, rkey", "record key first": "rkey, did, collection"}
BATCH = 5000
ACCOUNTS = 200_000
ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs are written
LIKE = "app.bsky.feed.like"
MADE = '[["did:plc:abcdefghijklmnopqrstuvwx", 1]]'


def main() -> None:
    database_url = os.environ.get(
        "BENCH_RECORD_KEYS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_keys"
    )
    rows = int(os.environ.get("BENCH_RECORD_KEYS_ROWS", "8000000"))
    batches = int(os.environ.get("BENCH_RECORD_KEYS_BATCHES", "40"))
    print(machine())
    fresh_database(database_url)
    rng = _seeded(24)
    dids = ["did:plc:" + "".join(rng.choices(ALPHABET, k=24)) for _ in range(ACCOUNTS)]
    tables = {name: f"record_keys_{n}" for n, name in enumerate(KEYS)}
    seconds: dict[str, list[float]] = {name: [] for name in KEYS}
    with psycopg.connect(database_url, autocommit=True) as db:
        for name, table in tables.items():
            started = time.monotonic()
            _create_and_fill(db, table, KEYS[name], _records(dids, 0, rows, _seeded(1)))
            print(f"{name}: {rows:,} records in {time.monotonic() - started:.1f} s", flush=True)
        db.execute("CHECKPOINT")
        for number in range(batches):
            first = rows + number * BATCH
            batch = list(_records(dids, first, first + BATCH, _seeded(number)))
            order = list(KEYS) if number % 2 else list(reversed(KEYS))
            for name in order:
                seconds[name].append(_keep(db, tables[name], batch))
        sizes = {name: _index_bytes(db, table) for name, table in tables.items()}
    figures = {}
    for name, taken in seconds.items():
        median = statistics.median(taken)
        figures[name] = {
            "batch_ms_median": round(median * 1000, 1),
            "us_a_record": round(median / BATCH * 1e6, 1),
            "index_mb": round(sizes[name] / 2**20),
        }
        print(
            f"{name}: a batch of {BATCH:,} kept in {median * 1000:.1f} ms (median of "
            f"{len(taken)}), {median / BATCH * 1e6:.1f} µs a record; the key's index "
            f"{sizes[name] / 2**20:,.0f} MB"
        )
    print(json.dumps({"rows": rows, "batches": batches, **figures}))


def _records(dids: list[str], first: int, last: int, rng: random.Random) -> Iterator[tuple]:
    for number in range(first, last):
        did = dids[int(len(dids) * rng.random() ** 2)]
        yield did, LIKE, _tid(number), "2026-12-01T00:00:00Z", MADE, ""


def _seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (made-up records)


def _tid(number: int) -> str:
    """A record key that rises with `number`, 13 characters as a TID."""
    return "3l" + "".join(ALPHABET[number >> shift & 31] for shift in range(50, -1, -5))


def _create_and_fill(db: psycopg.Connection, table: str, key: str, records: Iterator[tuple]):
    db.execute(f"CREATE TABLE {table} (LIKE scoring_blueskyrecord INCLUDING DEFAULTS)")
    db.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key})")
    with db.cursor().copy(f"COPY {table} FROM STDIN") as copy:
        for record in records:
            copy.write_row(record)
    db.execute(f"VACUUM ANALYZE {table}")


def _keep(db: psycopg.Connection, table: str, batch: list[tuple]) -> float:
    started = time.perf_counter()
    with db.transaction():
        db.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table}_stage (LIKE {table}) "
                   "ON COMMIT DELETE ROWS")  # fmt: skip
        with db.cursor().copy(f"COPY {table}_stage FROM STDIN") as copy:
            for record in batch:
                copy.write_row(record)
        kept = db.execute(
            f"INSERT INTO {table} SELECT * FROM {table}_stage "  # noqa: S608 - names of ours
            "ON CONFLICT DO NOTHING RETURNING did, collection, rkey"
        ).fetchall()
    if len(kept) != len(batch):
        raise RuntimeError(f"{table}: {len(kept)} of {len(batch)} records kept")
    return time.perf_counter() - started


def _index_bytes(db: psycopg.Connection, table: str) -> int:
    row = db.execute(f"SELECT pg_relation_size('{table}_pkey')").fetchone()
    assert row is not None
    return int(row[0])
