"""One import of a SNAP file, in a process of its own so that its peak memory is its own:
prints a JSON line with rows, seconds, rows/s and peak RSS. Used by bench_import."""

import json
import os
import resource
import sys
from pathlib import Path

import django


def main(path: Path, backend: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    from scoring.ingest.bulk_django import DjangoBulk
    from scoring.ingest.formats import snap
    from scoring.ingest.runner import import_source
    from scoring.ingest.writer import SignalWriter

    writer = SignalWriter(DjangoBulk() if backend == "bulk_create" else None)
    summary = import_source(snap.read(path, "twitter"), writer=writer)
    if summary.rejected or not summary.counts.created:
        raise SystemExit(f"the benchmark's import went wrong: {summary.describe()}")
    print(
        json.dumps(
            {
                "rows": summary.read,
                "created": summary.counts.created,
                "seconds": round(summary.seconds, 2),
                "rows_per_second": round(summary.rows_per_second),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
