"""Issue 5's page benchmark: profile pages of the 1,000,000-person world (seeded and scored by
bench_pipeline) served by gunicorn, under 20 concurrent clients from wrk in another process,
each asking for the next page as soon as it has the last (no pause: the hardest reading).

Twice: with a shared Redis cache, as production runs, where anonymous visitors of a profile
whose content is unchanged share one rendering (marketplace.shared_pages); and with no cache,
where every page is rendered, as for a first visit."""

import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import redis

from bench.support import PROJECT_DIR, machine

CLIENTS = 20
SECONDS = 30
RUNS = 3
WORKERS = 4
PORT = 8765
SAMPLE = (  # the distinct profiles asked for, at random
    "SELECT public_id FROM scoring_person TABLESAMPLE SYSTEM (2) REPEATABLE (7) "
    "WHERE score IS NOT NULL AND NOT opted_out LIMIT 5000"
)
CACHE_URLS = {  # CACHE_URL of each configuration
    "shared renderings (Redis)": "redis://127.0.0.1:6379/9",
    "every page rendered (no cache)": "dummycache://",
}
SCRIPT = PROJECT_DIR / "var" / "bench" / "profiles.lua"
# wrk's Lua: each request takes a random profile; at the end, print the percentiles in ms.
LUA = """
paths = {%s}
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %%.2f p95 %%.2f p99 %%.2f requests %%d errors %%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def main() -> None:
    database_url = os.environ.get(
        "BENCH_PIPELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_1m"
    )
    print(machine())
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(SCRIPT.parent / "static"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=environment, check=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], env=environment, check=True)
    paths = _profile_paths(database_url)
    SCRIPT.parent.mkdir(parents=True, exist_ok=True)
    SCRIPT.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
    for label, cache_url in CACHE_URLS.items():
        if cache_url.startswith("redis"):
            redis.Redis.from_url(cache_url).flushdb()
        runs = _serve_and_load({**environment, "CACHE_URL": cache_url}, paths[0])
        print(f"profile pages, {label}, {CLIENTS} clients, {WORKERS} gunicorn workers, "
              f"{SECONDS} s runs:")  # fmt: skip
        for run in runs:
            print(f"  {run}")
        p95 = statistics.median(r["p95"] for r in runs)
        pages = statistics.median(r["requests"] / SECONDS for r in runs)
        print(f"median p95 {p95:.1f} ms, median {pages:.0f} requests/s")


def _serve_and_load(environment: dict[str, str], first_path: str) -> list[dict[str, float]]:
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "marketplace.wsgi", "--workers",
         str(WORKERS), "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=PROJECT_DIR, env=environment,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{PORT}{first_path}")
        _wrk(5)  # warm-up: connections, caches
        return [_wrk(SECONDS) for _ in range(RUNS)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _profile_paths(database_url: str) -> list[str]:
    rows = subprocess.run(
        ["psql", database_url, "-Atc",
         SAMPLE],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    if not rows:
        raise SystemExit("No scored people: run `make bench BENCH=bench_pipeline` first.")
    return [f"/p/{public_id}/" for public_id in rows]


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our server)
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def _wrk(seconds: int) -> dict[str, float]:
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CLIENTS), "-d", f"{seconds}s", "-s", str(SCRIPT),
         f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"p50 (\S+) p95 (\S+) p99 (\S+) requests (\d+) errors (\d+)", output)
    if found is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    return dict(zip(("p50", "p95", "p99", "requests", "errors"), map(float, found.groups()),
                    strict=True))  # fmt: skip


if __name__ == "__main__":
    main()
