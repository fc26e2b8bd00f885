"""Monthly partitions of the interaction table on PostgreSQL, created when first needed."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection


def month_start(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"scoring_interaction_y{month.year:04d}m{month.month:02d}"


def ensure_interaction_partitions(months: Iterable[date]) -> None:
    """Create the partitions for these months (first days) that do not exist yet."""
    if connection.vendor != "postgresql":
        return
    wanted = {partition_name(month): month for month in months}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s)", [list(wanted)])
        existing = {name for (name,) in cursor.fetchall()}
        for name in sorted(wanted.keys() - existing):
            month = wanted[name]
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF scoring_interaction "
                "FOR VALUES FROM (%s) TO (%s)",
                [month, _next_month(month)],
            )
