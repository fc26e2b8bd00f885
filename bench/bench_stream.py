"""Issue 24's stream benchmark: the Bluesky consumer (scoring.ingest.bluesky: the real
Consumer and BatchWriter, COPY into PostgreSQL) reading a local Jetstream
(bench.jetstream_replay, a process of its own) that sends a realistic mix of events at
BENCH_STREAM_RATE a second (20,000; 0: as fast as the consumer takes them) for
BENCH_STREAM_SECONDS (600), after a warm-up of BENCH_STREAM_WARM_UP seconds (30). Each run
starts from an empty, migrated database, and its tables are ANALYZEd whenever autovacuum
would (every 5 s, those changed by a tenth since), as this machine's PostgreSQL, configured
for CI, does not: without figures PostgreSQL plans the look-ups of handles as if the tables
had a few rows (a handle look-up took 3 s instead of 26 ms at 20,000 handles); autovacuum's
VACUUMs are not made. Measured,
after the warm-up: the events committed a second, each event's lag from its sending to its
batch's commit; over the whole run, the consumer's memory every few seconds, what the rows
take on disk, and where the machine's cores went (the replay server, the consumer, the rest:
PostgreSQL mostly).

BENCH_STREAM_RUNS (1) runs; BENCH_STREAM_PROFILE=<path> leaves the consumer's cProfile
statistics there."""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.support import PROJECT_DIR, fresh_database, machine, rss_kb

IDLE_SECONDS = 5.0  # no frame for this long: the consumer has read everything
ANALYZE_DUE = """
SELECT quote_ident(s.relname) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
"""  # autovacuum_analyze_threshold and autovacuum_analyze_scale_factor's defaults
RSS_EVERY_SECONDS = 5.0
WARM_UP_SECONDS = 30  # memory is compared from then on
WINDOW_SECONDS = 10  # the sustained rate: the slowest window of this many seconds
TABLES = (
    "scoring_handle",
    "scoring_person",
    "scoring_post",
    "scoring_interaction",
    "scoring_blueskyrecord",
)


def main() -> None:
    database_url = os.environ.get(
        "BENCH_STREAM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_stream"
    )
    seconds = float(os.environ.get("BENCH_STREAM_SECONDS", "600"))
    rate = float(os.environ.get("BENCH_STREAM_RATE", "20000"))
    warm_up = float(os.environ.get("BENCH_STREAM_WARM_UP", "30"))
    runs = int(os.environ.get("BENCH_STREAM_RUNS", "1"))
    print(machine())
    results = [_run(database_url, rate, seconds, warm_up) for _ in range(runs)]
    for result in results:
        _print_run(result)
    figures = {
        "rate_asked": rate,
        "seconds": seconds,
        "runs": runs,
        **{
            name: statistics.median(r[name] for r in results)
            for name in ("events_per_second", "slowest_window_per_second", "lag_p99_s")
        },
        "rss_mb_after_warm_up": [r["rss_mb_after_warm_up"] for r in results],
        "bytes_per_row": results[-1]["bytes_per_row"],
    }
    print(json.dumps(figures))


def _run(database_url: str, rate: float, seconds: float, warm_up: float) -> dict[str, Any]:
    fresh_database(database_url)
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.jetstream_replay", "--rate", str(rate),
         "--seconds", str(warm_up + seconds)],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = json.loads(server.stdout.readline())["url"]
        busy, serving = _busy_seconds(), _cpu_seconds(server.pid)  # its frames made before
        consumed, rss = _consume(database_url, url, warm_up)
        sent = json.loads(server.stdout.readline())
        cpu = {"machine": _busy_seconds() - busy, "server": _cpu_seconds(server.pid) - serving,
               "consumer": consumed["cpu_seconds"]}  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    return _figures(consumed, sent, rss, _disk(database_url)) | {"cpu_seconds": cpu}


def _busy_seconds() -> float:
    """The machine's cores' busy time since it started (all but idle and waiting for I/O)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """A live process's user and system time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _consume(database_url: str, url: str, warm_up: float) -> tuple[dict[str, Any], list[float]]:
    """Run the consumer until it has read everything, its RSS (MB) sampled meanwhile."""
    arguments = [url, str(IDLE_SECONDS), str(warm_up)]
    if profile := os.environ.get("BENCH_STREAM_PROFILE"):
        arguments.append(str(Path(profile).resolve()))
    consumer = subprocess.Popen(
        [sys.executable, "-m", "bench.stream_consume_run", *arguments],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        text=True,
    )
    rss: list[float] = []
    while consumer.poll() is None:
        rss.append(_rss_mb(consumer.pid))
        time.sleep(RSS_EVERY_SECONDS)
        _analyze_as_autovacuum_would(database_url)
    assert consumer.stdout is not None
    output = consumer.stdout.read()
    if consumer.returncode:
        raise RuntimeError(f"the consumer failed ({consumer.returncode})")
    return json.loads(output.strip().splitlines()[-1]), [r for r in rss if r]


def _analyze_as_autovacuum_would(database_url: str) -> None:
    """ANALYZE the tables autovacuum would (with PostgreSQL's default threshold and scale
    factor), which is off on this machine as CI has it: with figures taken only when the
    tables were small, the planner looked posts up through the wrong index, and the rate fell
    by a third over ten minutes."""
    tables = _psql(database_url, ANALYZE_DUE).split()
    if tables:
        _psql(database_url, f"ANALYZE {', '.join(tables)}")


def _rss_mb(pid: int) -> float:
    return round(rss_kb(pid) / 1024, 1)


def _disk(database_url: str) -> dict[str, tuple[int, int]]:
    """Each table's rows and bytes (indexes and TOAST included, partitions summed)."""
    found = {}
    for table in TABLES:
        query = (
            f"SELECT (SELECT count(*) FROM {table}), coalesce(("  # noqa: S608 - TABLES only
            f"SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('{table}')), "
            f"pg_total_relation_size('{table}'))"
        )
        rows, size = _psql(database_url, query).strip().split("|")
        found[table] = (int(rows), int(size))
    return found


def _psql(database_url: str, query: str) -> str:
    parts = urlsplit(database_url)
    return subprocess.run(
        ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", "-d", parts.path.lstrip("/"), "-tA", "-c", query],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def _figures(
    consumed: dict[str, Any],
    sent: dict[str, Any],
    rss: list[float],
    disk: dict[str, tuple[int, int]],
) -> dict[str, Any]:
    per_second = consumed["committed_per_second"][1:-1]  # whole seconds only
    windows = [
        sum(per_second[i : i + WINDOW_SECONDS]) / WINDOW_SECONDS
        for i in range(0, max(len(per_second) - WINDOW_SECONDS + 1, 1))
    ]
    warm = rss[int(WARM_UP_SECONDS / RSS_EVERY_SECONDS) :] or rss
    return {
        "sent": sent["sent"],
        "server_behind_s": sent["behind_seconds"],
        "events": consumed["events"],
        "events_per_second": round(sum(per_second) / max(len(per_second), 1)),
        "slowest_window_per_second": round(min(windows)),
        "lag_p50_s": consumed["lag_p50_s"],
        "lag_p99_s": consumed["lag_p99_s"],
        "lag_max_s": consumed["lag_max_s"],
        "rss_mb_after_warm_up": [min(warm), max(warm), warm[-1]] if warm else [],
        "rss_mb_samples": rss,
        "totals": consumed["totals"],
        "disk": disk,
        "bytes_per_row": {t: round(size / rows) for t, (rows, size) in disk.items() if rows},
    }


def _print_run(run: dict[str, Any]) -> None:
    print(f"sent {run['sent']:,} events (the server at worst {run['server_behind_s']} s behind "
          f"its rate); committed {run['events']:,}: {run['totals']}")  # fmt: skip
    rows = [
        ("events/s committed (mean of whole seconds)", f"{run['events_per_second']:,}"),
        (f"slowest {WINDOW_SECONDS} s window, events/s", f"{run['slowest_window_per_second']:,}"),
        ("lag to commit p50 / p99 / max, s",
         f"{run['lag_p50_s']} / {run['lag_p99_s']} / {run['lag_max_s']}"),
        (f"consumer RSS after {WARM_UP_SECONDS} s: min / max / last, MB",
         " / ".join(map(str, run["rss_mb_after_warm_up"]))),
    ]  # fmt: skip
    rows += [
        (f"{table}: rows, MB, bytes/row",
         f"{count:,}, {size / 2**20:.1f}, {run['bytes_per_row'].get(table, '-')}")
        for table, (count, size) in run["disk"].items()
    ]  # fmt: skip
    cpu = run["cpu_seconds"]
    rest = cpu["machine"] - cpu["server"] - cpu["consumer"]
    rows.append(("core-seconds: machine = replay server + consumer + the rest (PostgreSQL)",
                 f"{cpu['machine']:.0f} = {cpu['server']:.0f} + {cpu['consumer']:.0f} + "
                 f"{rest:.0f}"))  # fmt: skip
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print(f"  RSS samples every {RSS_EVERY_SECONDS:.0f} s, MB: {run['rss_mb_samples']}")


if __name__ == "__main__":
    main()
