"""Partitions of the interaction table on PostgreSQL, created when first needed.

A month within the scoring window's reach (this year and the last) gets a partition of its
own, so the nightly run reads only the few it needs and old months can be dropped whole. An
older year (history imported for backtests) gets one partition for the whole year: a file
spread over 1995 to today makes about 30 partitions, not 380. A year that had monthly
partitions while it was recent keeps them, as the two kinds cannot overlap."""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

PREFIX = "scoring_interaction_y"
MONTHLY = re.compile(rf"{PREFIX}(\d{{4}})m\d\d")
RECENT_YEARS = 2  # this year and the last: the 90-day window never reaches further back


def month_start(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def ensure_interaction_partitions(months: Iterable[date], *, today: date | None = None) -> None:
    """Create the partitions for these months (first days) that do not exist yet."""
    if connection.vendor != "postgresql":
        return
    months = set(months)
    first_recent_year = (today or timezone.localdate()).year - RECENT_YEARS + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE %s", [f"{PREFIX}%"])
        existing = {name for (name,) in cursor.fetchall()}
        monthly_years = {int(m[1]) for m in map(MONTHLY.fullmatch, existing) if m}
        wanted: dict[str, tuple[date, date]] = {}
        for month in months:
            if month.year >= first_recent_year or month.year in monthly_years:
                wanted[f"{PREFIX}{month.year:04d}m{month.month:02d}"] = (month, _next_month(month))
            else:
                year = date(month.year, 1, 1)
                wanted[f"{PREFIX}{month.year:04d}"] = (year, date(month.year + 1, 1, 1))
        for name in sorted(wanted.keys() - existing):
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF scoring_interaction "
                "FOR VALUES FROM (%s) TO (%s)",
                wanted[name],
            )
