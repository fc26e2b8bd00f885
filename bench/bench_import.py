"""Issue 3's import benchmark: 10 million SNAP interactions among 1 million handles into
PostgreSQL through COPY, against Django's bulk_create on the first million of the same lines,
and the importer's peak memory on growing prefixes of the file.

With BENCH_IMPORT_AGAINST=<commit>, it compares instead: the COPY import of that commit's
code and of this checkout's, in turns, five times each."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

from bench.support import PROJECT_DIR, checkout_of, fresh_database, machine

DATA_DIR = PROJECT_DIR / "var" / "bench"
LINES = 10_000_000
HANDLES = 1_000_000
RUNS = 3
COMPARED_RUNS = 5
BASELINE_LINES = 1_000_000
MEMORY_PREFIXES = (1_000_000, 3_000_000, 10_000_000)
WINDOW_END = 1_767_225_600  # 2026-01-01 UTC


def snap_file(lines: int) -> Path:
    """The first `lines` lines of a deterministic activity file (made once, then reused)."""
    path = DATA_DIR / f"snap-{lines // 1_000_000}m.txt"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if lines < LINES:
        with snap_file(LINES).open() as full, path.open("w") as part:
            for _, line in zip(range(lines), full, strict=False):
                part.write(line)
        return path
    rng = np.random.default_rng(3)
    kinds = np.array(["RT", "MT", "RE"])
    chunks = LINES // 1_000_000
    span = 90 * 86_400 // chunks
    with path.open("w") as out:
        for chunk in range(chunks):  # in time order, as activity logs are
            n = 1_000_000
            actors = rng.integers(0, HANDLES, n)
            targets = np.minimum(rng.zipf(1.8, n) - 1, HANDLES - 1)  # a few get most of it
            targets = (targets * 7919 + 13) % HANDLES  # popular ids spread over the range
            start = WINDOW_END - 90 * 86_400 + chunk * span
            seconds = np.sort(start + rng.integers(0, span, n))
            kind = kinds[rng.integers(0, 3, n)]
            out.write(
                "".join(
                    f"{a} {t} {s} {k}\n"
                    for a, t, s, k in zip(
                        actors.tolist(), targets.tolist(), seconds.tolist(), kind, strict=True
                    )
                )
            )
    return path


def import_once(
    database_url: str, path: Path, backend: str, project: Path = PROJECT_DIR
) -> dict[str, float]:
    """One import into a fresh database, in a process of its own, with the code of `project`
    (the process starts there, so its imports come from there)."""
    fresh_database(database_url, project)
    result = subprocess.run(
        [sys.executable, "-m", "bench.snap_import_run", str(path), backend],
        cwd=project,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(database_url: str, path: Path, commit: str) -> None:
    earlier = checkout_of(commit)
    runs: dict[str, list[float]] = {commit: [], "this checkout": []}
    for _ in range(COMPARED_RUNS):
        for name, project in ((commit, earlier), ("this checkout", PROJECT_DIR)):
            runs[name].append(import_once(database_url, path, "copy", project)["seconds"])
    medians = {name: statistics.median(seconds) for name, seconds in runs.items()}
    for name, seconds in runs.items():
        print(f"{name}: median {medians[name]:.2f} s ({LINES / medians[name]:,.0f} rows/s), "
              f"runs {seconds}")  # fmt: skip
    print(f"this checkout takes {medians['this checkout'] / medians[commit]:.2f} of the time")


def main() -> None:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench"
    )
    print(machine())
    full = snap_file(LINES)
    if against := os.environ.get("BENCH_IMPORT_AGAINST"):
        compare(database_url, full, against)
        return
    baseline = snap_file(BASELINE_LINES)

    copy_runs = [import_once(database_url, full, "copy") for _ in range(RUNS)]
    django_runs = [import_once(database_url, baseline, "bulk_create") for _ in range(RUNS)]
    copy_rate = statistics.median(r["rows_per_second"] for r in copy_runs)
    django_rate = statistics.median(r["rows_per_second"] for r in django_runs)
    print(f"COPY importer, {LINES:,} lines, {HANDLES:,} handles: runs {copy_runs}")
    print(f"bulk_create importer, first {BASELINE_LINES:,} lines: runs {django_runs}")
    print(
        f"median: COPY {copy_rate:,.0f} rows/s, bulk_create {django_rate:,.0f} rows/s "
        f"({copy_rate / django_rate:.1f}x)"
    )
    for lines in MEMORY_PREFIXES:
        run = import_once(database_url, snap_file(lines), "copy")
        print(f"peak memory importing {lines:,} lines: {run['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
