"""Issue 4's pipeline benchmark: the whole daily run (extract from PostgreSQL, score, write
the snapshots and current scores) on the demo world of 1,000,000 people."""

import json
import os
import statistics
import time

from bench.support import fresh_database, machine, manage

PEOPLE = 1_000_000
RUNS = 3
AS_OF = "2026-11-22"


def main() -> None:
    database_url = os.environ.get(
        "BENCH_PIPELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_1m"
    )
    print(machine())
    if os.environ.get("BENCH_RESEED", "1") == "1":
        fresh_database(database_url)
        print(manage(database_url, "seed_demo", "--people", str(PEOPLE)).strip())
    runs = []
    for _ in range(RUNS):
        started = time.monotonic()
        report = manage(database_url, "compute_scores", "--as-of", AS_OF, "--report", "json")
        runs.append(
            {
                **json.loads(report.strip().splitlines()[-1]),
                "process_seconds": round(time.monotonic() - started, 2),
            }
        )
    print(f"compute_scores on {PEOPLE:,} people: {runs}")
    print(
        f"median {statistics.median(r['seconds'] for r in runs)} s in the pipeline, "
        f"{statistics.median(r['process_seconds'] for r in runs)} s for the whole command"
    )


if __name__ == "__main__":
    main()
