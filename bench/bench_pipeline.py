"""Issues 4 and 25's pipeline benchmark: the whole nightly run (extract from PostgreSQL,
compute, load the snapshots and current scores) on the demo world, with each compute step.

    BENCH_PIPELINE_PEOPLE=1000000   the demo world's size (ten interactions a person)
    BENCH_PIPELINE_ENGINES=numpy    numpy, spark or both
    BENCH_PIPELINE_RUNS=3           runs of NumPy (the median is reported)
    BENCH_PIPELINE_SPARK_RUNS=1     runs of Spark (at 3M, one takes half an hour)
    BENCH_PIPELINE_MEMORY_GB=20     what a run may take, as in bench_engines
    BENCH_PIPELINE_WORLD=demo       demo (seed_demo, through the importers) or synthetic
                                    (bench.synthetic_seed: bench_engines' world, put in by
                                    the server itself, ten times faster to seed)
    BENCH_RESEED=1                  0 keeps the world already seeded (and its day)
    BENCH_PIPELINE_DATABASE_URL     default: sway_bench_<people> on the local server

NumPy is `compute_scores` alone. Spark runs as on a cluster: `compute_scores --window-only`
writes the window as Parquet, the Spark job scores it in a process of its own (local[2], as
spark-submit runs scoring/spark/job.py), and `compute_scores --scores-from` loads its scores.
"""

import os
import shutil
import statistics
import subprocess
import sys
from typing import Any

from bench.bench_engines import spark_job
from bench.support import PROJECT_DIR, fresh_database, machine, manage, measured_process


def main() -> None:
    people = int(os.environ.get("BENCH_PIPELINE_PEOPLE", "1000000"))
    engines = os.environ.get("BENCH_PIPELINE_ENGINES", "numpy").split(",")
    runs = {
        "numpy": int(os.environ.get("BENCH_PIPELINE_RUNS", "3")),
        "spark": int(os.environ.get("BENCH_PIPELINE_SPARK_RUNS", "1")),
    }
    memory_gb = int(os.environ.get("BENCH_PIPELINE_MEMORY_GB", "20"))
    database_url = os.environ.get(
        "BENCH_PIPELINE_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/sway_bench_{people}"
    )
    print(machine(), f"; each run given {memory_gb} GB", flush=True)
    if os.environ.get("BENCH_RESEED", "1") == "1":
        fresh_database(database_url)
        seed = SEED[os.environ.get("BENCH_PIPELINE_WORLD", "demo")]
        print(seed(database_url, people), flush=True)
    as_of = manage(database_url, "shell", "--no-imports", "-c", LAST_DAY).strip()
    for engine in engines:
        nightly = NIGHTLY[engine]
        results = [nightly(database_url, as_of, memory_gb) for _ in range(runs[engine])]
        print(f"{engine} on {people:,} people for {as_of}: {results}", flush=True)
        finished = [r for r in results if r["ok"]]
        if finished:
            print(f"{engine} median: {statistics.median(r['seconds'] for r in finished)} s "
                  f"for the whole run, "
                  f"{statistics.median(r['compute_seconds'] for r in finished)} s computing, "
                  f"peak {statistics.median(r['peak_mb'] for r in finished):,.0f} MB",
                  flush=True)  # fmt: skip


# The day the demo world was seeded, whose window ends at its last engagement.
LAST_DAY = (
    "from datetime import timedelta; from django.db.models import Max; "
    "from scoring.models import Interaction; "
    "print(Interaction.objects.aggregate(last=Max('occurred_at'))['last'].date() + timedelta(1))"
)


def numpy_run(database_url: str, as_of: str, memory_gb: int) -> dict[str, Any]:
    result = measured_process(
        _compute_scores(as_of, "--engine", "numpy", "--report", "json"),
        {**os.environ, "DATABASE_URL": database_url},
        memory_cap=memory_gb << 30,
    )
    result["compute_seconds"] = result.get("steps", {}).get("compute")
    return result


def spark_run(database_url: str, as_of: str, memory_gb: int) -> dict[str, Any]:
    folder = PROJECT_DIR / "var/bench/pipeline"
    window, scores = folder / f"window-{as_of}", folder / f"scores-{as_of}"
    shutil.rmtree(window, ignore_errors=True)
    shutil.rmtree(scores, ignore_errors=True)
    env = {**os.environ, "DATABASE_URL": database_url, "SCORING_WINDOW_URL": str(window)}
    steps = {
        "extract": measured_process(_compute_scores(as_of, "--window-only"), env),
        "compute": spark_job(window, scores, memory_gb),
        "load": measured_process(
            _compute_scores(as_of, "--scores-from", str(scores), "--report", "json"), env
        ),
    }
    return {
        "ok": all(step["ok"] for step in steps.values()),
        "seconds": round(sum(step["seconds"] for step in steps.values()), 1),
        "compute_seconds": steps["compute"]["seconds"],
        "peak_mb": max(step["peak_mb"] for step in steps.values()),
        "steps": steps,
    }


def seed_demo(database_url: str, people: int) -> str:
    return manage(database_url, "seed_demo", "--people", str(people)).strip()


def seed_synthetic(database_url: str, people: int) -> str:
    seeded = subprocess.run(
        [sys.executable, "-m", "bench.synthetic_seed", str(people)],
        cwd=PROJECT_DIR, env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return seeded.stdout.strip().rsplit("\n", 1)[-1]


SEED = {"demo": seed_demo, "synthetic": seed_synthetic}


def _compute_scores(as_of: str, *args: str) -> list[str]:
    return [sys.executable, "manage.py", "compute_scores", "--as-of", as_of, *args]


NIGHTLY = {"numpy": numpy_run, "spark": spark_run}


if __name__ == "__main__":
    main()
