"""Issue 7's benchmarks, on a world of 1,000,000 people (bench.campaigns_world: made by COPY
once, then reused; BENCH_RESEED=1 makes it again):

(a) 500 signed-in people claim a 100-unit perk at once over HTTP: gunicorn serves the site, the
    load comes from another process (bench.campaigns_load); exactly 100 must succeed.
(b) A live campaign whose target holds 100,000 people with accounts is refreshed: their
    Eligibility and in-app Notification rows written in one transaction, then their e-mail
    queued in batches to a Redis broker on commit (target: 60 s).
(c) The live estimate of a target as a brand types it, the whole audience panel (count, score
    spread, top topics and countries, examples, why so few) with the Klout ontology's 8,000
    topics imported (target: 100 ms), through the view and the selector alone, for four typical
    targets, the broadest one and one so narrow that the panel says why; and what the index it
    reads costs the daily scoring run's rewrite of the scores that moved.

BENCH_CAMPAIGNS_PARTS=claims,notify,estimate (the default) chooses which of them run.

The figures and what they mean: docs/PERFORMANCE.md, "Perk campaigns (issue 7)".
"""

import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

from bench.bench_profile import _wait_for
from bench.support import PROJECT_DIR, fresh_database, machine

RUNS = 3
PORT = 8766  # bench_profile's is 8765
WORKERS = 4  # as bench_profile
CLAIMANTS = 500
QUANTITY = 100
ESTIMATE_CALLS = 10  # timed calls a target in each run, after one untimed
SERIAL = 20  # refused claims sent one at a time after each burst
BROKER = "redis://127.0.0.1:6379/12"  # a database of the local Redis no test uses
SMTP_PORT = 8767
DELIVERY_SAMPLE = 2_000
STATIC = PROJECT_DIR / "var" / "bench" / "static"
ESTIMATE_FOUND = r"<strong>([\d,]+)</strong>"  # the number of people, with its commas
CLAIM_REFUSED = r'role="alert">([^<]*)<'


def main() -> None:
    started = time.monotonic()
    database_url = os.environ.get(
        "BENCH_CAMPAIGNS_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/sway_bench_campaigns",
    )
    print(machine())
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(STATIC),
        "CELERY_BROKER_URL": BROKER,  # as deployed: e-mail is a task queued on commit
    }
    world = _world(env, database_url)
    print(f"world: {world}")
    helper(env, "cleanup")
    _clear_broker()
    sessions = helper(env, "sessions", {"claimants": CLAIMANTS})
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "marketplace.wsgi", "--workers",
         str(WORKERS), "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=PROJECT_DIR, env=env,
    )  # fmt: skip
    parts = os.environ.get("BENCH_CAMPAIGNS_PARTS", "claims,notify,estimate").split(",")
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/healthz")
        runs = range(1, RUNS + 1)
        claims = [_claim_run(env, sessions, run) for run in runs] if "claims" in parts else []
        estimates = _estimates(env, sessions["manager"]) if "estimate" in parts else None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    if estimates:
        estimates["rewrite"] = helper(env, "rewrite", {"runs": RUNS})
        print(f"(c) the daily rewrite of moved scores: {estimates['rewrite']}", flush=True)
    notified = _notify_runs(env) if "notify" in parts else []
    helper(env, "cleanup")
    _clear_broker()
    _report(claims, notified, estimates)
    print(f"bench_campaigns took {time.monotonic() - started:.0f} s")


def helper(env: dict[str, str], command: str, args: dict[str, Any] | None = None) -> Any:
    """A command of bench.campaigns_world in a process of its own; its JSON answer."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.campaigns_world", command, json.dumps(args or {})],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if output.returncode:
        raise RuntimeError(f"campaigns_world {command} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _world(env: dict[str, str], database_url: str) -> dict[str, Any]:
    """The world as it is, or made afresh when it is missing or BENCH_RESEED=1."""
    manage = [sys.executable, "manage.py"]
    status = None if os.environ.get("BENCH_RESEED") == "1" else _status(env)
    if status is None or not status["ready"]:
        fresh_database(database_url)
        print(f"built the world: {helper(env, 'build')}", flush=True)
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=PROJECT_DIR, env=env,
                   check=True)  # fmt: skip
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], cwd=PROJECT_DIR,
                   env=env, check=True)  # fmt: skip
    return helper(env, "status")


def _status(env: dict[str, str]) -> dict[str, Any] | None:
    try:
        return helper(env, "status")
    except RuntimeError:  # no database yet
        return None


def _clear_broker() -> int:
    """Drop the e-mail tasks the runs queued (no worker consumes this Redis database)."""
    import redis

    client = redis.Redis.from_url(BROKER)
    queued = client.llen("celery")
    client.delete("celery", *client.scan_iter("_kombu.binding*"))
    return queued


def _queued() -> int:
    import redis

    return redis.Redis.from_url(BROKER).llen("celery")


def _load(plan: dict[str, Any]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.campaigns_load"],
        cwd=PROJECT_DIR, input=json.dumps(plan), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(output.stdout)


def _post(path: str, session: str, fields: list[tuple[str, Any]]) -> dict[str, Any]:
    """A form POST as the signed-in browser sends it: session and CSRF cookies, the token."""
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as it is
    return {
        "method": "POST",
        "path": path,
        "headers": {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token},
        "body": urllib.parse.urlencode(fields),
    }


# --- (a) ----------------------------------------------------------------------------------


def _claim_run(env: dict[str, str], sessions: dict[str, Any], run: int) -> dict[str, Any]:
    campaign = helper(env, "claim_setup", {"run": run, "quantity": QUANTITY})["campaign"]
    path = f"/perks/{campaign}/"
    warm = [  # every worker has read its templates and holds a connection
        {"method": "GET", "path": path, "headers": {"Cookie": f"sessionid={key}"}}
        for key in sessions["claimants"][:20]
    ]
    assert all(r["status"] == 200 for r in _load({**_server(), "mode": "burst",
                                                   "requests": warm})["results"])  # fmt: skip
    before = _queued()
    load = _load(
        {
            **_server(),
            "mode": "burst",
            "find": CLAIM_REFUSED,
            "requests": [
                _post(path, key, [("idempotency_key", uuid.uuid4().hex)])
                for key in sessions["claimants"]
            ],
        }
    )
    results = load["results"]
    succeeded = [r for r in results if r["status"] == 302 and r["location"] == path]
    refused = [r for r in results if r["status"] == 200]
    sold_out = [r for r in refused if r["found"] == "Sorry, this perk is sold out."]
    latencies = [r["ms"] for r in results]
    held = helper(env, "claim_check", {"campaign": campaign})
    # One at a time, no queue: what a refused claim costs the server by itself.
    alone = _load(
        {
            **_server(),
            "mode": "serial",
            "requests": [
                _post(path, key, [("idempotency_key", uuid.uuid4().hex)])
                for key in sessions["claimants"][-SERIAL:]
            ],
        }
    )["results"]
    assert all(r["status"] == 200 for r in alone), alone
    outcome = {
        "run": run,
        "attempts": len(results),
        "succeeded": len(succeeded),
        "sold_out": len(sold_out),
        "other": len(results) - len(succeeded) - len(sold_out),
        "statuses": sorted({r["status"] for r in results}),
        "wall_s": load["wall_seconds"],
        "per_s": round(len(results) / load["wall_seconds"], 1),
        "p50_ms": round(_percentile(latencies, 50)),
        "p95_ms": round(_percentile(latencies, 95)),
        "max_ms": round(max(latencies)),
        "success_p95_ms": round(_percentile([r["ms"] for r in succeeded], 95)),
        "e_mail_tasks_queued": _queued() - before,
        "sold_out_alone_ms": round(statistics.median(r["ms"] for r in alone), 1),
        "database": held,
    }
    print(f"(a) claims, run {run}: {outcome}", flush=True)
    return outcome


def _server() -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": PORT}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# --- (b) ----------------------------------------------------------------------------------


def _notify_runs(env: dict[str, str]) -> list[dict[str, Any]]:
    runs = []
    for run in range(1, RUNS + 1):
        before = _queued()
        found = helper(env, "notify", {"run": run})
        found["tasks_in_broker"] = _queued() - before
        print(f"(b) notify, run {run}: {found}", flush=True)
        runs.append(found)
        if run < RUNS:
            helper(env, "cleanup")
    sample = helper(
        {**env, "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}"},
        "deliver",
        {"campaign": runs[-1]["campaign"], "sample": DELIVERY_SAMPLE, "smtp_port": SMTP_PORT},
    )
    print(f"(b) e-mail delivery sample (the queued task's body, local SMTP sink): {sample}")
    runs[-1]["delivery_sample"] = sample
    return runs


# --- (c) ----------------------------------------------------------------------------------


def _targets(topics: list[int]) -> dict[str, dict[str, Any]]:
    places = ["US", "GB", "CA"]
    return {
        "score ≥ 40": {"min_score": 40, "topics": [], "countries": []},
        "score ≥ 40, 3 topics": {"min_score": 40, "topics": topics, "countries": []},
        "score ≥ 40, 3 countries": {"min_score": 40, "topics": [], "countries": places},
        "score ≥ 40, 3 topics, 3 countries": {
            "min_score": 40, "topics": topics, "countries": places
        },
        "score ≥ 10 (broadest)": {"min_score": 10, "topics": [], "countries": []},
        "score ≥ 40, 3 topics, Ireland (why so few)": {
            "min_score": 40, "topics": topics, "countries": ["IE"]
        },
    }  # fmt: skip


def _estimates(env: dict[str, str], manager: str) -> dict[str, Any]:
    topics = helper(env, "targets")["topics"]
    print(f"(c) topics: {topics}")
    targets = _targets([t["id"] for t in topics])
    measured = {
        "topics": topics,
        "targets": targets,
        "view": _estimate_view(targets, manager),
        "selector": helper(
            env, "estimate", {"targets": targets, "runs": RUNS, "calls": ESTIMATE_CALLS}
        ),
    }
    for name in targets:
        view, selector = measured["view"][name], measured["selector"][name]
        print(f"(c) {name}: view {view}, selector {selector}", flush=True)
    return measured


def _estimate_view(targets: dict[str, dict[str, Any]], manager: str) -> dict[str, Any]:
    """POST /brands/<slug>/estimate/ as htmx does while the brand types: RUNS runs of
    ESTIMATE_CALLS requests one after another, after one untimed."""
    out = {}
    for name, spec in targets.items():
        fields = [("min_score", spec["min_score"]), *(("countries", c) for c in spec["countries"]),
                  *(("topics", t) for t in spec["topics"])]  # fmt: skip
        request = {**_post("/brands/bench-brand/estimate/", manager, fields)}
        request["headers"] |= {"HX-Request": "true"}
        plan = {**_server(), "mode": "serial", "find": ESTIMATE_FOUND}
        _load({**plan, "requests": [request]})
        runs, people = [], set()
        for _ in range(RUNS):
            results = _load({**plan, "requests": [request] * ESTIMATE_CALLS})["results"]
            assert all(r["status"] == 200 for r in results), results
            people |= {int(r["found"].replace(",", "")) for r in results}
            runs.append([r["ms"] for r in results])
        out[name] = {
            "people": sorted(people),
            "runs_median_ms": [round(statistics.median(r), 1) for r in runs],
            "p95_ms": round(_percentile([ms for r in runs for ms in r], 95), 1),
        }
    return out


# --- the figures --------------------------------------------------------------------------


def _report(claims: list[dict], notified: list[dict], estimates: dict[str, Any] | None) -> None:
    print("\n== figures (median of the runs)")
    if claims:
        _claims_report(claims)
    if notified:
        print(
            f"(b) 100,000 notified: {_median(notified, 'seconds')} s (runs "
            f"{[n['seconds'] for n in notified]}), of which queueing the e-mail on commit "
            f"{_median(notified, 'queue_seconds')} s; rows "
            f"{[(n['eligibility_rows'], n['inbox_rows'], n['tasks_in_broker']) for n in notified]}"
        )
    if estimates:
        print("(c) estimate (view median / p95; selector median; the count alone, in turns):")
        for name in estimates["targets"]:
            view, selector = estimates["view"][name], estimates["selector"][name]
            print(
                f"    {name}: {statistics.median(view['runs_median_ms'])} / {view['p95_ms']} ms;"
                f" {statistics.median(selector['runs_ms'])} ms; "
                f"{statistics.median(selector['count_only_ms'])} ms ({selector['people']:,} "
                f"people, {selector['reachable']:,} with an account)"
            )
        _rewrite_report(estimates["rewrite"])


def _rewrite_report(rewrites: dict[str, list[dict]]) -> None:
    aside, kept = rewrites["set aside"], rewrites["kept"]
    print(
        f"    cost to the daily run: the index set aside {_median(aside, 'total_s')} s in all "
        f"(the UPDATE {_median(aside, 'update_s')} s, {aside[0]['hot']:,} of "
        f"{aside[0]['updated']:,} HOT), kept {_median(kept, 'total_s')} s (the UPDATE "
        f"{_median(kept, 'update_s')} s, {kept[0]['hot']:,} HOT); the estimate (score ≥ 40) "
        f"after either {_median(aside, 'estimate_after_ms')} and "
        f"{_median(kept, 'estimate_after_ms')} ms, and before the VACUUM with the index kept "
        f"{_median(kept, 'estimate_before_vacuum_ms')} ms"
    )


def _claims_report(claims: list[dict]) -> None:
    print(
        f"(a) {CLAIMANTS} claims at once on a {QUANTITY}-unit perk, {WORKERS} gunicorn "
        f"workers: succeeded {[c['succeeded'] for c in claims]}, sold out "
        f"{[c['sold_out'] for c in claims]}, other {[c['other'] for c in claims]}; "
        f"{_median(claims, 'per_s')} requests/s (runs {[c['per_s'] for c in claims]}), "
        f"p95 {_median(claims, 'p95_ms')} ms (runs {[c['p95_ms'] for c in claims]}), "
        f"p50 {_median(claims, 'p50_ms')} ms"
    )
    exact = all(
        c["succeeded"]
        == QUANTITY
        == c["database"]["claims"]
        == c["database"]["distinct_codes"]
        == c["database"]["taken"]
        and c["other"] == 0
        for c in claims
    )
    print(f"    exactly {QUANTITY} claims and codes, no other answer, every run: {exact}")
    print(f"    a refused claim alone (no queue): {_median(claims, 'sold_out_alone_ms')} ms")


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


if __name__ == "__main__":
    main()
