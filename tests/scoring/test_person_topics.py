"""Topics are earned: the topics matched in a person's own posts, and several people acting
on several of them. The ice-cream case, end to end: import, match, score."""

import pytest
from django.core.management import call_command

from scoring.models import Handle, PersonTopic, Topic
from tests.scoring.worlds import handle, said, score_days, share, write_and_import

pytestmark = pytest.mark.django_db

FANS = [f"f{n}" for n in range(20)]


def mention(actor, target, day):
    return {"type": "interaction", "network": "twitter", "actor": actor, "target": target,
            "kind": "mention", "occurred_at": f"2026-11-{day}T09:00:00Z"}  # fmt: skip


@pytest.fixture
def ice_cream_world(tmp_path):
    Topic.objects.create(slug="ice-cream", name="Ice Cream", aliases=["gelato"], status="approved")
    records = [handle(h, h, h.title()) for h in ("alice", "bob", "carol", "dana", *FANS)]
    # Alice: one post about ice cream, shared by twenty people.
    records += [said("a1", "alice", "Best #IceCream in town")]
    records += [share(f, "alice", "a1") for f in FANS]
    # Bob: three ice-cream posts, each mentioning Carol and shared by five people.
    for n in range(3):
        records += [said(f"b{n}", "bob", f"Gelato number {n} with @carol")]
        records += [share(f, "bob", f"b{n}", day=15 + n) for f in FANS[5 * n : 5 * n + 5]]
        records += [mention("bob", "carol", 15 + n)]
    # Dana: two ice-cream posts and a post about the weather, each shared by four people.
    for n, text in enumerate(["Ice cream tasting", "More ice-cream", "Rain again"]):
        records += [said(f"d{n}", "dana", text)]
        records += [share(f, "dana", f"d{n}", day=18) for f in FANS[4 * n : 4 * n + 4]]
    write_and_import(tmp_path, records)
    score_days(22)


def topics_of(username):
    person = Handle.objects.get(username=username).person
    return {t.topic.slug: t.score for t in PersonTopic.objects.filter(person=person)}


def test_a_single_post_or_being_mentioned_gives_no_topic(ice_cream_world):
    assert Handle.objects.get(username="alice").person.score > 20
    assert topics_of("alice") == {}
    assert topics_of("carol") == {}


def test_several_posts_moving_several_people_earn_a_topic_score(ice_cream_world):
    bob, dana = topics_of("bob"), topics_of("dana")
    assert set(bob) == set(dana) == {"ice-cream"}
    assert 1 < dana["ice-cream"] < bob["ice-cream"] <= 100
    person = Handle.objects.get(username="bob").person
    assert person.score_details["topics"] == [
        [Topic.objects.get(slug="ice-cream").pk, bob["ice-cream"]]
    ]


def test_a_banned_topic_is_nobodys(ice_cream_world):
    Topic.objects.filter(slug="ice-cream").update(status="banned")
    score_days(22)
    assert not PersonTopic.objects.exists()


def test_posts_imported_before_a_topic_was_approved_are_matched_again(tmp_path, capsys):
    write_and_import(tmp_path, [handle("eve", "eve", "Eve"), said("e1", "eve", "Sourdough day")])
    sourdough = Topic.objects.create(slug="sourdough", name="Sourdough", status="approved")
    capsys.readouterr()

    call_command("match_topics", days=36500)
    call_command("match_topics", days=36500)  # again: nothing twice

    assert list(sourdough.posts.values_list("external_id", flat=True)) == ["e1"]
    assert capsys.readouterr().out.splitlines() == [
        "Matched 1 posts: 1 topics added.",
        "Matched 1 posts: 0 topics added.",
    ]
