import json
from datetime import date

import numpy as np
import pytest
from django.core.management import call_command

from scoring.engine.compute import compute
from scoring.engine.explain import new_engagement, without_new_engagement
from scoring.engine.model import MENTION, SHARE, Params, Signals
from scoring.models import Handle
from tests.scoring.worlds import handle, said, share, write_and_import

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
        f"among them @gus (score {gus_score:.0f})"
    )
    assert reason["engager"] == {
        "network": "twitter",
        "username": "gus",
        "score": f"{gus_score:.0f}",
    }
    assert all(abs(r["points"]) <= abs(reason["points"]) for r in others)


def test_a_quiet_day_after_says_older_engagement_is_fading(launch):
    reasons(DAY)

    (reason,) = reasons(date(2026, 11, 11))

    assert reason["points"] < 0
    assert reason["text"] == "engagement from weeks ago is fading"


@pytest.fixture
def bobs_big_day(tmp_path):
    """bob shared alice's post on 10 November; on 19 November carol and dan shared bob's
    post, and nobody engaged with alice."""
    write_and_import(tmp_path, [
        handle("1", "alice", "Alice"), handle("2", "bob", "Bob"),
        handle("3", "carol", "Carol"), handle("4", "dan", "Dan"),
        said("a1", "1", "Hello", day=10), said("b1", "2", "Big news", day=19),
        share("2", "1", "a1", day=10), share("3", "2", "b1", day=19),
        share("4", "2", "b1", day=19),
    ])  # fmt: skip


def test_a_quiet_day_whose_engagers_grew_more_influential_claims_no_new_engagement(
    bobs_big_day,
):
    reasons(date(2026, 11, 19))

    said_of_alice = reasons(date(2026, 11, 20))
    said_of_bob = Handle.objects.get(username="bob").person.score_details["reasons"]

    assert not any(r["text"].startswith("0 people") for r in said_of_alice)
    assert said_of_alice[0]["points"] > 0
    assert said_of_alice[0]["text"] == "the people who engage grew more influential"
    assert said_of_bob[0]["points"] > 0
    assert said_of_bob[0]["text"].startswith("2 people engaged with the post “Big news”")


def signals(actor, target, kind, age_days, *, hidden=()):
    """One handle a person, on one network; no interaction is on a known post."""
    people = max(max(actor), max(target)) + 1
    return Signals(
        handle_person=np.arange(people), handle_network=np.zeros(people, np.int64),
        handle_hidden=np.isin(np.arange(people), hidden), actor=np.array(actor),
        target=np.array(target), kind=np.array(kind), age_days=np.array(age_days, float),
        post=np.full(len(actor), -1), people=people, networks=1,
    )  # fmt: skip


def test_without_new_engagement_a_quiet_person_keeps_their_score_though_engagers_grew():
    """1 engaged with 0 ten days ago; on the last day 2 engaged with 1, nobody with 0."""
    world = signals([1, 2], [0, 1], [SHARE, SHARE], [10.0, 0.5])
    scores = compute(world, Params("t"))

    without_new = without_new_engagement(world, Params("t"), scores)

    assert compute(world.older_than(1.0), Params("t")).score[0] < scores.score[0] - 1  # 1 grew
    assert without_new[0] == scores.score[0]
    assert without_new[1] == 1.0 < scores.score[1]  # nobody engaged with 1 before


def test_without_new_engagement_an_engager_looking_automated_is_no_new_engagement():
    """0 mentioned 1 twenty days ago, and thirty others on the last day: beyond the volume
    of a person, its engagement is discounted."""
    world = signals([0] * 31, list(range(1, 32)), [MENTION] * 31, [20.0] + [0.5] * 30)
    params = Params("t", automation_volume=0.1)
    scores = compute(world, params)

    without_new = without_new_engagement(world, params, scores)

    assert compute(world.older_than(1.0), params).score[1] > scores.score[1] + 1  # 0 discounted
    assert without_new[1] == scores.score[1]
    assert (without_new[2:] == 1.0).all()


def test_engagement_with_a_private_handle_is_no_new_engagement():
    world = signals([1, 2], [0, 0], [SHARE, SHARE], [0.5, 0.5], hidden=[0])

    fresh = new_engagement(world, compute(world, Params("t")))

    assert fresh.people.tolist() == [0, 0, 0]
    assert fresh.top_actor.tolist() == [-1, -1, -1]


def test_of_engagers_alike_the_lowest_handle_is_named_whatever_order_they_came_in():
    """2 and 3 shared 0's content on the last day, and nobody engaged with either: equally
    influential, the lower handle is the one named, in either order of rows."""
    one_way = signals([2, 3], [0, 0], [SHARE, SHARE], [0.5, 0.5])
    other_way = signals([3, 2], [0, 0], [SHARE, SHARE], [0.5, 0.5])

    named = {
        new_engagement(world, compute(world, Params("t"))).top_actor[0]
        for world in (one_way, other_way)
    }

    assert named == {2}
