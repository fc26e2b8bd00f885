"""Scoring one person again between daily runs, after a handle joins them: what the day's
run gives them, within the minute."""

import pytest

from scoring.models import Handle, PersonTopic, ScoreSnapshot, Topic
from scoring.services.verification import handle_verify
from tests.factories import UserFactory
from tests.scoring.worlds import handle, post, score_days, scored_world, share

pytestmark = pytest.mark.django_db

MASTODON_FANS = [f"m{n}" for n in range(6)]


@pytest.fixture
def two_network_world(tmp_path):
    """Alice's world, where a Mastodon account of hers draws six people of its own."""
    more = [handle("alice", "alice@social.example", "Alice M.", network="mastodon")]
    more += [handle(f, f"{f}@social.example", f, network="mastodon") for f in MASTODON_FANS]
    more += [post("mp1", "alice", "python", network="mastodon")]
    more += [share(f, "alice", "mp1", network="mastodon") for f in MASTODON_FANS]
    scored_world(tmp_path, more)


def test_joining_a_handle_rescores_the_person_as_the_daily_run_would(
    two_network_world, django_capture_on_commit_callbacks
):
    user = UserFactory()
    twitter = Handle.objects.get(username="Alice")
    mastodon = Handle.objects.get(network="mastodon", external_id="alice")
    alone = twitter.person.score
    python_alone = PersonTopic.objects.get(person=twitter.person, topic__slug="python").score
    handle_verify(user=user, handle=twitter)
    with django_capture_on_commit_callbacks(execute=True):
        person = handle_verify(user=user, handle=mastodon)

    person.refresh_from_db()
    rescored = person.score
    assert rescored > alone
    assert set(person.score_details["networks"]) == {"twitter", "mastodon"}
    snapshot = ScoreSnapshot.objects.get(person=person, day=person.score_day)
    assert snapshot.score == rescored
    topics = PersonTopic.objects.filter(person=person).values_list("topic_id", "score")
    assert sorted(topics) == sorted(map(tuple, person.score_details["topics"]))
    assert dict(topics)[Topic.objects.get(slug="python").pk] > python_alone

    score_days(22)  # the day's run again, now that both handles are Alice's
    person.refresh_from_db()
    # Engagers are worth what the last run found; Bob's worth grows a little in the new run,
    # as Alice, more influential now, shares his post.
    assert person.score == pytest.approx(rescored, abs=0.05)
    assert person.score_details["reach"] == pytest.approx(snapshot.reach, abs=0.001)


def test_the_person_a_handle_leaves_is_rescored_too(
    two_network_world, django_capture_on_commit_callbacks
):
    holder, thief = UserFactory(), UserFactory()
    twitter = Handle.objects.get(username="Alice")
    mastodon = Handle.objects.get(network="mastodon", external_id="alice")
    handle_verify(user=holder, handle=twitter)
    handle_verify(user=holder, handle=mastodon)
    with django_capture_on_commit_callbacks(execute=True):
        handle_verify(user=thief, handle=mastodon)

    twitter.person.refresh_from_db()
    assert set(twitter.person.score_details["networks"]) == {"twitter"}
    score_days(22)
    left = twitter.person.score
    twitter.person.refresh_from_db()
    assert twitter.person.score == pytest.approx(left, abs=0.01)


def test_a_rescore_ranks_the_parts_among_the_days_others_as_the_daily_run_would(
    two_network_world, django_capture_on_commit_callbacks
):
    user = UserFactory()
    twitter = Handle.objects.get(username="Alice")
    handle_verify(user=user, handle=twitter)
    with django_capture_on_commit_callbacks(execute=True):
        person = handle_verify(user=user, handle=Handle.objects.get(external_id="alice"))

    person.refresh_from_db()
    rescored = person.score_details["percentiles"]
    assert rescored["reach"] == 95.0  # the widest reach: 19 of the 20 people are below
    score_days(22)  # the day's run again, now that both handles are Alice's
    person.refresh_from_db()
    assert person.score_details["percentiles"] == rescored
