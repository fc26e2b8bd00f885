"""`compute_scores --engine spark` writes the day the default writes (issue 25)."""

from io import StringIO

import pytest
from django.core.management import call_command

from scoring.models import Person, PersonTopic, ScoreDetails, ScoreSnapshot
from tests.scoring.worlds import handle, post, share, write_and_import

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),  # one JVM
]


def written():
    snapshots = ScoreSnapshot.objects.order_by("person_id").values_list(
        "person_id", "day", "model_version", "score", "reach", "amplification", "network",
        "persistence",
    )  # fmt: skip
    people = Person.objects.order_by("pk").values_list("pk", "score", "percentile")
    topics = PersonTopic.objects.order_by("person_id", "topic__slug").values_list(
        "person_id", "topic__slug", "score"
    )
    details = ScoreDetails.objects.order_by("person_id").values_list("person_id", "data")
    return list(snapshots), list(people), list(topics), list(details)


def test_spark_writes_what_the_default_writes(tmp_path):
    fans = [str(100 + n) for n in range(8)]
    records = [handle("1", "alice", "Alice"), handle("2", "bob", "Bob")]
    records += [handle(fan, f"fan{fan}", f"Fan {fan}") for fan in fans]
    records += [post("p1", "1", "coffee"), post("p2", "1", "coffee", "books"), post("p3", "2")]
    records += [share(fan, "1", f"p{1 + n % 2}", day=12 + n) for n, fan in enumerate(fans)]
    records += [share("1", "2", "p3", day=20), share(fans[0], "2", "p3", day=19)]
    write_and_import(tmp_path, records)
    as_of = ("--as-of", "2026-11-21", "--report", "json")

    call_command("compute_scores", *as_of, "--engine", "numpy", stdout=StringIO())
    expected = written()
    ScoreSnapshot.objects.all().delete()
    call_command("compute_scores", *as_of, "--engine", "spark", stdout=StringIO())

    assert written() == expected
    assert ScoreSnapshot.objects.filter(score__gt=1).count() >= 2
    assert expected[2]  # topics were earned
