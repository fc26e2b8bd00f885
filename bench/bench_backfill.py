"""Issue 21's backfill: `compute_scores --since 90d`, as `make run` runs it, on the demo world
`seed_demo` makes (5,000 people over 90 days), on SQLite (`make run`'s default) and on
PostgreSQL. Each run starts with no snapshot, so that it scores all 90 days."""

import os
import resource
import statistics
import time
from pathlib import Path

from bench.support import PROJECT_DIR, fresh_database, machine, manage

RUNS = 3
DATABASES = {
    "SQLite": f"sqlite:///{PROJECT_DIR / 'var' / 'bench' / 'backfill.sqlite3'}",
    "PostgreSQL": os.environ.get(
        "BENCH_BACKFILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_backfill"
    ),
}
FORGET_SNAPSHOTS = "from scoring.models import ScoreSnapshot; ScoreSnapshot.objects.all().delete()"


def main() -> None:
    print(machine())
    for name, database_url in DATABASES.items():
        _fresh(database_url)
        print(f"{name}: {manage(database_url, 'seed_demo').strip()}")
        runs, cpu = [], []
        for _ in range(RUNS):
            manage(database_url, "shell", "--command", FORGET_SNAPSHOTS)
            used = _children_cpu()
            started = time.monotonic()
            last = manage(database_url, "compute_scores", "--since", "90d").strip()
            runs.append(round(time.monotonic() - started, 1))
            cpu.append(round(_children_cpu() - used, 1))
        print(f"  {last.splitlines()[-1]}")
        print(
            f"  compute_scores --since 90d: median {statistics.median(runs)} s "
            f"(runs {', '.join(map(str, runs))} s; CPU {', '.join(map(str, cpu))} s)"
        )


def _fresh(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        manage(database_url, "migrate", "--no-input", "--verbosity", "0")
    else:
        fresh_database(database_url)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
