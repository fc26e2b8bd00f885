"""Issue 25's scale benchmark: the compute step on the NumPy engine and on Spark (local[2], as
spark-submit runs scoring/spark/job.py) at 1M people / 10M interactions, 3M / 30M and
10M / 100M. Each run is a process of its own, from the window as Parquet to the scores as
Parquet; the figures are its seconds and the peak memory of its process tree (Spark's JVM and
Python workers included).

    BENCH_ENGINES_SIZES=1,3,10   millions of people (0.1 for a trial), ten interactions each
    BENCH_ENGINES=numpy,spark    which implementations
    BENCH_ENGINES_RUNS=3         runs of NumPy at each size (the median is reported)
    BENCH_ENGINES_SPARK_RUNS=1   runs of Spark (at 10M, one takes an hour or more)
    BENCH_ENGINES_MEMORY_GB=20   what a run may take: NumPy's address space, Spark's heap + 4
    BENCH_ENGINES_DIR=var/bench/engines
"""

import os
import shutil
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.bench_scoring import synthetic_signals
from bench.support import PROJECT_DIR, machine, measured_process

AS_OF = date(2026, 12, 5)
TOPICS = 200
PYTHON_WORKERS_GB = 4  # beside Spark's heap: its Python workers and the JVM's own


def main() -> None:
    sizes = os.environ.get("BENCH_ENGINES_SIZES", "1,3,10").split(",")
    engines = os.environ.get("BENCH_ENGINES", "numpy,spark").split(",")
    runs = {
        "numpy": int(os.environ.get("BENCH_ENGINES_RUNS", "3")),
        "spark": int(os.environ.get("BENCH_ENGINES_SPARK_RUNS", "1")),
    }
    memory_gb = int(os.environ.get("BENCH_ENGINES_MEMORY_GB", "20"))
    folder = Path(os.environ.get("BENCH_ENGINES_DIR", PROJECT_DIR / "var/bench/engines"))
    print(machine(), f"; each run given {memory_gb} GB", flush=True)
    for millions in sizes:
        window = folder / f"window-{millions}m"
        started = time.perf_counter()
        world = write_window(round(float(millions) * 1_000_000), window)
        print(f"{millions}M people: {world}, written in {time.perf_counter() - started:.1f} s",
              flush=True)  # fmt: skip
        for engine in engines:
            out = folder / f"scores-{engine}-{millions}m"
            results = [measured(engine, window, out, memory_gb) for _ in range(runs[engine])]
            print(f"  {engine}: {results}", flush=True)
            finished = [r for r in results if r["ok"]]
            if finished:
                print(f"  {engine} median: "
                      f"{statistics.median(r['seconds'] for r in finished)} s, "
                      f"peak {statistics.median(r['peak_mb'] for r in finished):,.0f} MB",
                      flush=True)  # fmt: skip
        if all((folder / f"scores-{engine}-{millions}m/meta.json").exists()
               for engine in ("numpy", "spark")):  # fmt: skip
            print("  same scores:", same_scores(folder, millions), flush=True)


def write_window(people: int, url: Path) -> dict[str, int]:
    """bench_scoring's heavy-tailed world, a fifth of its posts about one or two of 200
    topics, written as the window scored on AS_OF with the live model's parameters."""
    from scoring.engine.parquet import signals_write
    from scoring.engine.versions import LIVE, MODELS

    signals = synthetic_world(people)
    signals_write(signals, AS_OF, str(url), params=MODELS[LIVE])
    return {"people": people, "handles": len(signals.handle_person),
            "interactions": len(signals.actor),
            "post_topics": len(signals.post_topic_post)}  # fmt: skip


def synthetic_world(people: int) -> Any:
    """bench_scoring's heavy-tailed world of `people` (ten interactions each), a fifth of its
    posts about one or two of TOPICS topics."""
    signals = synthetic_signals(people, people * 10)
    rng = np.random.default_rng(25)
    posts = np.unique(signals.post[signals.post >= 0])
    about = posts[rng.random(len(posts)) < 0.2]
    pairs = np.concatenate([about, about[rng.random(len(about)) < 0.3]])
    return replace(signals, post_topic_post=pairs, topics=TOPICS,
                   post_topic_topic=rng.integers(0, TOPICS, len(pairs)))  # fmt: skip


def measured(engine: str, window: Path, out: Path, memory_gb: int) -> dict[str, Any]:
    """One run: wall seconds, the process tree's peak memory, and what the run said."""
    shutil.rmtree(out, ignore_errors=True)
    if engine == "numpy":
        command = [sys.executable, "-m", "bench.engine_run", str(window), str(out)]
        return measured_process(command, dict(os.environ), memory_cap=memory_gb << 30)
    return spark_job(window, out, memory_gb)


def spark_job(window: Path, out: Path, memory_gb: int) -> dict[str, Any]:
    """The Spark job run as spark-submit runs it, in a process of its own: local[2], with a
    heap that leaves room for its Python workers within `memory_gb`."""
    command = [sys.executable, "-m", "scoring.spark.job", "--window", str(window),
               "--out", str(out)]  # fmt: skip
    heap_gb = memory_gb - PYTHON_WORKERS_GB
    env = {
        **os.environ,
        "SPARK_MASTER": "local[2]",
        "PYSPARK_SUBMIT_ARGS": f"--driver-memory {heap_gb}g pyspark-shell",
    }
    return measured_process(command, env)


def same_scores(folder: Path, millions: str) -> dict[str, float]:
    """The largest score and component differences between the two runs' output."""
    from scoring.engine.parquet import scores_read

    numpy_scores = scores_read(str(folder / f"scores-numpy-{millions}m"))
    spark_scores = scores_read(str(folder / f"scores-spark-{millions}m"))
    points = float(np.max(np.abs(numpy_scores.score - spark_scores.score), initial=0))
    relative = 0.0
    for name in ("raw", "reach", "amplification", "network", "persistence", "influence"):
        a, b = getattr(numpy_scores, name), getattr(spark_scores, name)
        scale = np.maximum(np.abs(a), np.finfo(float).tiny)
        relative = max(relative, float(np.max(np.abs(a - b) / scale, initial=0)))
    return {"score_points": points, "relative": relative}


if __name__ == "__main__":
    main()
