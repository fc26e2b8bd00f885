import json
from datetime import date

import pytest
from django.core.management import call_command

from scoring.models import Handle

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)
FANS = ["dana", "eve", "finn", "gus"]


@pytest.fixture
def launch(tmp_path):
    """alice posted 'Launch day' on 9 November and four fans shared it that day; gus is the
    one of them others engage with."""
    records = [{"type": "handle", "network": "twitter", "id": "1", "username": "alice"}]
    records += [
        {"type": "handle", "network": "twitter", "id": str(n), "username": name}
        for n, name in enumerate(FANS, start=2)
    ]
    records += [
        {"type": "post", "network": "twitter", "id": "old", "author": "1",
         "published_at": "2026-10-01T09:00:00Z", "text": "Hello"},
        {"type": "post", "network": "twitter", "id": "p1", "author": "1",
         "published_at": "2026-11-09T09:00:00Z",
         "text": "Launch day!   Everything we built this year is finally out there for you"},
        {"type": "interaction", "network": "twitter", "actor": "2", "target": "1",
         "kind": "reply", "post": "old", "occurred_at": "2026-10-01T10:00:00Z"},
    ]  # fmt: skip
    records += [
        {"type": "interaction", "network": "twitter", "actor": str(n), "target": "1",
         "kind": "share", "post": "p1", "occurred_at": f"2026-11-09T1{n}:00:00Z"}
        for n in range(2, 6)
    ]  # fmt: skip
    records += [
        {"type": "interaction", "network": "twitter", "actor": str(n), "target": "5",
         "kind": "mention", "occurred_at": "2026-10-20T10:00:00Z"}
        for n in range(2, 5)
    ]  # fmt: skip
    path = tmp_path / "launch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    call_command("import_signals", str(path), format="jsonl")


def reasons(as_of):
    call_command("compute_scores", "--as-of", as_of.isoformat())
    return Handle.objects.get(username="alice").person.score_details["reasons"]


def test_the_days_new_engagement_is_explained_with_its_post_and_most_influential_engager(
    launch,
):
    (reason, *others) = reasons(DAY)
    gus_score = Handle.objects.get(username="gus").person.score

    assert reason["points"] > 0
    assert reason["text"] == (
        "4 people engaged with the post “Launch day! Everything we built this ye…”, "
        f"among them @gus ({gus_score:.0f})"
    )
    assert all(abs(r["points"]) <= abs(reason["points"]) for r in others)


def test_a_quiet_day_after_says_older_engagement_is_fading(launch):
    reasons(DAY)

    (reason,) = reasons(date(2026, 11, 11))

    assert reason["points"] < 0
    assert reason["text"] == "engagement from weeks ago is fading"
