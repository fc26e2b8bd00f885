"""The Bluesky consumer of bench_stream, in a process of its own (so its memory is its own):
`python -m bench.stream_consume_run URL IDLE_SECONDS WARM_UP_SECONDS [PROFILE_PATH]` reads
the stream at URL with the real Consumer and BatchWriter until no frame has come for
IDLE_SECONDS, then prints one JSON line: of the events sent after the first WARM_UP_SECONDS,
each one's lag from its time_us (the wall clock when the replay server sent it) to its
batch's commit, and the events committed each second; and the consumer's totals. With
PROFILE_PATH, it runs under cProfile and leaves the statistics there."""

import cProfile
import json
import os
import resource
import sys
import time
from typing import Any

import django
import numpy as np

LAG_BUCKET_MS = 1
LAG_MOST_MS = 600_000  # longer lags count in the last bucket


def main(url: str, idle_seconds: float, warm_up_seconds: float, profile_path: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    from scoring.ingest.bluesky.batch import BatchWriter, Written
    from scoring.ingest.bluesky.events import Event
    from scoring.ingest.bluesky.stream import Consumer

    class TimedWriter(BatchWriter):
        """The real writer, noting when each batch committed and how late its events were."""

        def __init__(self) -> None:
            super().__init__()
            self.lags = np.zeros(LAG_MOST_MS // LAG_BUCKET_MS + 1, dtype=np.int64)
            self.per_second: dict[int, int] = {}
            self.measured_from_us = 0

        def write(self, events: list[Event], time_us: int) -> Written:
            written = super().write(events, time_us)  # committed when it returns
            now_us = time.time_ns() // 1000
            sent_us = np.fromiter((e.time_us for e in events), np.int64, len(events))
            if events and not self.measured_from_us:
                self.measured_from_us = events[0].time_us + int(warm_up_seconds * 1e6)
            sent_us = sent_us[sent_us >= self.measured_from_us]
            if not len(sent_us):
                return written
            buckets = np.minimum((now_us - sent_us) // (1000 * LAG_BUCKET_MS), len(self.lags) - 1)
            self.lags += np.bincount(buckets, minlength=len(self.lags))
            second = now_us // 1_000_000
            self.per_second[second] = self.per_second.get(second, 0) + len(sent_us)
            return written

    writer = TimedWriter()
    consumer = Consumer(urls=[url], exit_when_idle=idle_seconds, writer=writer, report=_quiet)
    if profile_path:
        cProfile.runctx("consumer.run()", globals(), {"consumer": consumer}, profile_path)
    else:
        consumer.run()
    print(json.dumps(_summary(writer.lags, writer.per_second, consumer.totals.describe())))


def _summary(lags: np.ndarray, per_second: dict[int, int], totals: str) -> dict[str, Any]:
    cumulative = np.cumsum(lags)
    events = int(cumulative[-1])

    def percentile(share: float) -> float:
        return float(np.searchsorted(cumulative, share * events)) * LAG_BUCKET_MS / 1000

    seconds = sorted(per_second)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "events": events,
        "lag_p50_s": percentile(0.50),
        "lag_p99_s": percentile(0.99),
        "lag_max_s": float(np.flatnonzero(lags)[-1]) * LAG_BUCKET_MS / 1000 if events else 0.0,
        "committed_per_second": [per_second.get(s, 0) for s in range(seconds[0], seconds[-1] + 1)]
        if seconds
        else [],
        "totals": totals,
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
    }


def _quiet(line: str) -> None:
    print(line, file=sys.stderr)


if __name__ == "__main__":
    main(
        sys.argv[1],
        float(sys.argv[2]),
        float(sys.argv[3]),
        sys.argv[4] if len(sys.argv) > 4 else None,
    )
