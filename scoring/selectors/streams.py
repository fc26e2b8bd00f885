"""How far behind the live streams their consumers are, for /healthz (HEALTH_REPORTS)."""

from django.utils import timezone

from scoring.ingest.bulk_contract import micros_to_datetime
from scoring.models import StreamCursor


def stream_lags() -> dict[str, object]:
    """Each stream a consumer has written: the time of the last event written and how long
    ago that was, in seconds; nothing before any consumer has run."""
    now = timezone.now()
    streams = {
        cursor.stream: {
            "written_up_to": micros_to_datetime(cursor.time_us).isoformat(),
            "lag_seconds": round((now - micros_to_datetime(cursor.time_us)).total_seconds(), 1),
        }
        for cursor in StreamCursor.objects.filter(time_us__gt=0).order_by("stream")
    }
    return {"streams": streams} if streams else {}
