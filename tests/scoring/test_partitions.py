"""The interaction table's partitions: a month of its own within the window's reach, a year
of its own before, so that history spread over decades makes a few dozen partitions."""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from scoring.models import Interaction
from scoring.partitions import ensure_interaction_partitions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partitions"),
]

TODAY = date(2026, 12, 5)


def partitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = inhrelid "
            "JOIN pg_class parent ON parent.oid = inhparent "
            "WHERE parent.relname = 'scoring_interaction'"
        )
        return {name.removeprefix("scoring_interaction_") for (name,) in cursor.fetchall()}


def months(first_year, last_year):
    return [
        date(year, month, 1) for year in range(first_year, last_year + 1) for month in range(1, 13)
    ]


def test_recent_months_get_a_partition_each_and_older_years_one_each():
    before = partitions()

    ensure_interaction_partitions(months(1995, 2026), today=TODAY)

    made = partitions() - before
    assert len(made) <= 30 + 24  # 1995 to 2024 by year, 2025 and 2026 by month
    assert {"y1995", "y2024", "y2025m01", "y2026m12"} <= partitions()
    assert not {"y2024m01", "y2025"} & made


def test_a_year_that_had_monthly_partitions_keeps_them():
    ensure_interaction_partitions([date(2024, 3, 1)], today=date(2024, 6, 1))

    ensure_interaction_partitions([date(2024, 7, 1)], today=TODAY)  # two years on

    assert {"y2024m03", "y2024m07"} <= partitions()
    assert "y2024" not in partitions()  # it would overlap the months


def test_a_history_spread_over_decades_is_imported_into_a_few_dozen_partitions(
    tmp_path, import_signals
):
    before = partitions()
    path = tmp_path / "history.jsonl"
    path.write_text(
        "".join(
            json.dumps({"type": "interaction", "network": "twitter", "actor": "1",
                        "target": "2", "kind": "reply",
                        "occurred_at": f"{month.isoformat()}T12:00:00Z"}) + "\n"
            for month in months(1995, 2026)
            if month <= TODAY
        )
    )  # fmt: skip

    out, err = import_signals(path, format="jsonl")

    assert err == ""
    assert "created 384" in out
    assert len(partitions() - before) <= 30 + 24
    assert Interaction.objects.filter(occurred_at__year=2003).count() == 12
    assert Interaction.objects.filter(occurred_at=datetime(2026, 12, 1, 12, tzinfo=UTC)).exists()
