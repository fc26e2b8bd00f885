"""Issue 8's benchmark: Klout's `/v2/user.json/<id>/score` on a world of 1,000,000 people
(bench.api_world: made by COPY once, then reused; BENCH_RESEED=1 makes it again), served by
gunicorn, under load from wrk in another process: each request names a person drawn at random
from the 994,831 visible ones and the key in the `key` query parameter, as Klout's clients did.

Target: ≥ 1,000 requests/s with p95 ≤ 20 ms.

Each configuration (gunicorn workers, wrk connections, the cache: each worker's memory or
Redis) is run 3 times 20 s after a 5 s warm-up. The median of each figure over the runs is
printed, with the CPU each process spent a request (gunicorn, its PostgreSQL backends, Redis
when it is the cache, wrk) and the cores other processes kept busy meanwhile.
BENCH_API_CONFIGS=0,2,… runs other configurations (see MORE); BENCH_API_SECONDS and
BENCH_API_RUNS shorten a trial.

API_KEY_RATE is set to 1000000/min: one key makes all the requests, and the default 6000/min
would answer 429 after 6,000 of them. The throttle counts in the cache: with the default
(locmem) each worker counts its own requests; with Redis, as in production, all share one
counter.

The figures and what they mean: docs/PERFORMANCE.md, "Partner API (issue 8)"."""

import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_profile import _wait_for
from bench.support import PROJECT_DIR, fresh_database, machine

PORT = 8768  # bench_profile 8765, bench_campaigns 8766 and 8767
SECONDS = int(os.environ.get("BENCH_API_SECONDS", 20))
WARMUP = 5
RUNS = int(os.environ.get("BENCH_API_RUNS", 3))
RATE = "1000000/min"
FIGURES = ("rps", "p50", "p95", "p99")
VAR = PROJECT_DIR / "var" / "bench"
IDS = VAR / "api_ids.txt"  # ten characters each, back to back
SCRIPT = VAR / "api_score.lua"
SYNC2 = ["--workers", "2"]
SYNC3 = ["--workers", "3"]
SYNC4 = ["--workers", "4"]
GTHREAD = ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]
PATH = ("/v2/user.json/", "/score")  # the path before the person's id and after it
REDIS = {"CACHE_URL": "redis://127.0.0.1:6379/13"}  # a database of the local Redis no one uses
LOCMEM: dict[str, str] = {}  # the default: each worker's own memory
# (label, gunicorn arguments, wrk connections, cache)
CONFIGS = [
    ("2 sync workers", SYNC2, 16, LOCMEM),
    ("2 sync workers, Redis cache", SYNC2, 16, REDIS),
]
# Not run by default (BENCH_API_CONFIGS=2,3,… runs them, numbered after CONFIGS).
MORE = [
    ("3 sync workers", SYNC3, 16, LOCMEM),
    ("4 sync workers", SYNC4, 16, LOCMEM),
    ("2 gthread workers × 4 threads", GTHREAD, 16, LOCMEM),
    ("2 sync workers", SYNC2, 8, LOCMEM),
    ("2 sync workers", SYNC2, 32, LOCMEM),
    ("3 sync workers, Redis cache", SYNC3, 16, REDIS),
]
# wrk's Lua: every thread reads the ids and draws one at random for each request; at the end,
# the percentiles in ms, the answers other than 2xx/3xx and the socket errors.
LUA = """
local file = assert(io.open("%(ids)s", "rb"))
local ids = file:read("*a")
file:close()
local count = #ids / 10
local key = "%(key)s"
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function(args) math.randomseed(os.time() + seed * 7919) end
request = function()
  local at = (math.random(count) - 1) * 10
  return wrk.format("GET", "%(before)s" .. ids:sub(at + 1, at + 10) .. "%(after)s?key=" .. key)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %%.2f p95 %%.2f p99 %%.2f requests %%d status %%d socket %%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def main() -> None:
    started = time.monotonic()
    database_url = os.environ.get(
        "BENCH_API_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_api"
    )
    print(machine())
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "API_KEY_RATE": RATE,
        # Each worker keeps its connection through a configuration's runs (the default, 60 s,
        # would reconnect during them and lose the closed backend's CPU from the figures).
        "DJANGO_CONN_MAX_AGE": "600",
    }
    print(f"world: {_world(env, database_url)}", flush=True)
    key = helper(env, "key", {"name": f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}"})["key"]
    print(f"ids: {helper(env, 'ids', {'path': str(IDS)})}", flush=True)
    only = os.environ.get("BENCH_API_CONFIGS")  # e.g. "0,3": some configurations only
    every = CONFIGS + MORE
    chosen = [every[int(i)] for i in only.split(",")] if only else CONFIGS
    results = [_config(env, database_url, key, *config) for config in chosen]
    print(f"\n/v2/user.json/<id>/score, {SECONDS} s runs after a {WARMUP} s warm-up:")
    for label, connections, runs in results:  # each figure's median over the runs
        rps, p50, p95, p99 = (statistics.median(r[f] for r in runs) for f in FIGURES)
        cpu = {n: round(statistics.median(r["cpu_us"][n] for r in runs)) for n in runs[0]["cpu_us"]}
        print(f"  {label}, {connections} connections: median {rps:.0f} requests/s, "
              f"p50 {p50:.1f} p95 {p95:.1f} p99 {p99:.1f} ms, "
              f"errors {sum(r['errors'] for r in runs)}, CPU µs/request {cpu}")  # fmt: skip
        for run in runs:
            print(f"      {run}")
    print(f"bench_api took {time.monotonic() - started:.0f} s")


def helper(env: dict[str, str], command: str, args: dict[str, Any] | None = None) -> Any:
    """A command of bench.api_world in a process of its own; its JSON answer."""
    module = "bench.api_world"
    output = subprocess.run(
        [sys.executable, "-m", module, command, json.dumps(args or {})],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if output.returncode:
        raise RuntimeError(f"{module} {command} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _world(env: dict[str, str], database_url: str) -> dict[str, Any]:
    """The world as it is, or made afresh when it is missing or BENCH_RESEED=1."""
    status = None
    if os.environ.get("BENCH_RESEED") != "1":
        try:
            status = helper(env, "status")
        except RuntimeError:  # no database yet
            status = None
    if status is None or not status["ready"]:
        fresh_database(database_url)
        print(f"built the world: {helper(env, 'build')}", flush=True)
        status = helper(env, "status")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=PROJECT_DIR, env=env,
                   check=True)  # fmt: skip
    # A migration may have rewritten rows: index look-ups would step over the dead ones.
    subprocess.run(["psql", database_url, "-qc", "VACUUM (ANALYZE)"], check=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=PROJECT_DIR,
                   env=env, check=True)  # fmt: skip
    return status


def _config(
    env: dict[str, str], database_url: str, key: str, label: str,
    arguments: list[str], connections: int, cache: dict[str, str],
) -> tuple[str, int, list[dict[str, Any]]]:  # fmt: skip
    print(f"\n{label}, {connections} connections:", flush=True)
    head, tail = PATH
    if cache:  # an empty cache, as a new worker's memory
        subprocess.run(["redis-cli", "-u", cache["CACHE_URL"], "FLUSHDB"], check=True,
                       capture_output=True)  # fmt: skip
    SCRIPT.write_text(LUA % {"ids": IDS, "key": key, "before": head, "after": tail})
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "marketplace.wsgi", *arguments,
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--backlog", "2048"],
        cwd=PROJECT_DIR, env={**env, **cache},
    )  # fmt: skip
    try:
        first = IDS.read_text(encoding="ascii")[:10]
        _wait_for(f"http://127.0.0.1:{PORT}{head}{first}{tail}?key={key}")
        _wrk(WARMUP, connections)
        runs = []
        for _ in range(RUNS):
            before = _cpu(server.pid, database_url, cache)
            run = _wrk(SECONDS, connections)
            after = _cpu(server.pid, database_url, cache)
            wall = after["wall"] - before["wall"]
            mine = {
                "gunicorn": _spent(before["gunicorn"], after["gunicorn"]),
                "postgres": _spent(before["postgres"], after["postgres"]),
                "redis": _spent(before["redis"], after["redis"]),
                "wrk": run.pop("wrk_cpu"),
            }
            busy = after["busy"] - before["busy"]
            run["cpu_us"] = {
                name: round(used / run["requests"] * 1e6) for name, used in mine.items()
            }
            # The machine's cores busy on average, and the part of it no process of this
            # bench accounts for (other sessions' work on the same 2 cores).
            run["cores_busy"] = round(busy / wall, 2)
            run["cores_others"] = round((busy - sum(mine.values())) / wall, 2)
            run["steal"] = round((after["steal"] - before["steal"]) / wall, 2)
            print(f"  {run}", flush=True)
            runs.append(run)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return label, connections, runs


def _wrk(seconds: int, connections: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "-s", str(SCRIPT),
         f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(
        r"p50 (\S+) p95 (\S+) p99 (\S+) requests (\d+) status (\d+) socket (\d+)", output
    )
    if found is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    p50, p95, p99, requests, status, socket = map(float, found.groups())
    return {
        "rps": round(requests / seconds, 1),
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "requests": int(requests),
        "errors": int(status + socket),
        "wrk_cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    }


def _cpu(master: int, database_url: str, cache: dict[str, str]) -> dict[str, Any]:
    """CPU seconds so far of each process: gunicorn (master and workers), the PostgreSQL
    backends connected to the bench's database, the Redis server when it is the cache; and
    the machine's (busy and stolen, in core-seconds)."""
    tick = os.sysconf("SC_CLK_TCK")
    backends = subprocess.run(
        ["psql", database_url, "-Atc",
         "SELECT pid FROM pg_stat_activity "
         "WHERE datname = current_database() AND pid <> pg_backend_pid()"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    redis = []
    if cache:
        info = subprocess.run(["redis-cli", "-u", cache["CACHE_URL"], "INFO", "server"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        redis = re.findall(r"process_id:(\d+)", info)

    def used(pids: list[str]) -> dict[str, float]:
        found = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            found[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return found

    stat = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(t) for t in stat]
    return {
        "wall": time.monotonic(),
        "gunicorn": used([str(master), *children]),
        "postgres": used(backends),
        "redis": used(redis),
        "busy": (sum(ticks[:8]) - ticks[3] - ticks[4] - ticks[7]) / tick,
        "steal": ticks[7] / tick,
    }


def _spent(before: dict[str, float], after: dict[str, float]) -> float:
    """CPU seconds between the two readings, of the processes alive at the second (the
    connections live longer than a configuration's runs: DJANGO_CONN_MAX_AGE)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


if __name__ == "__main__":
    main()
