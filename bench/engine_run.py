"""One compute step on the NumPy engine in a process of its own, as the Spark job runs it: the
window's Parquet in, the scores' Parquet out (bench_engines times it from outside).

    python -m bench.engine_run WINDOW OUT
"""

import json
import sys
import time

from scoring.engine.compute import compute
from scoring.engine.parquet import params_read, scores_write, signals_read


def main(window: str, out: str) -> None:
    started = time.perf_counter()
    signals, params = signals_read(window), params_read(window)
    read = time.perf_counter()
    scores = compute(signals, params)
    computed = time.perf_counter()
    scores_write(scores, out)
    written = time.perf_counter()
    print(json.dumps({
        "read_s": round(read - started, 2),
        "compute_s": round(computed - read, 2),
        "write_s": round(written - computed, 2),
    }))  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:])
