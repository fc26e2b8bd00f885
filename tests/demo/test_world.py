from datetime import UTC, datetime

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from demo.world import DAY, MASTODON_SERVERS, DemoWorld, HandleRecord, InteractionBlock, WorldSize
from scoring.ingest.bulk_postgres import delete_unreferenced
from scoring.models import Endorsement, Handle, HiddenTopic, Interaction, Person, Post, Topic
from scoring.selectors.targeting import people_matching
from scoring.services.people import people_join_handles

pytestmark = pytest.mark.django_db

TOPICS = ["coffee", "football", "python", "jazz"]
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def fingerprint(world):
    """Every record the world would import, as comparable text."""
    parts = []
    for line in world.lines():
        record = line.record
        if isinstance(record, InteractionBlock):
            parts.append(
                (
                    record.actor_ids(),
                    record.target_ids(),
                    record.kinds.tolist(),
                    record.micros.tolist(),
                )
            )
        else:
            parts.append(repr(record))
    return parts


def test_the_same_seed_makes_the_same_world_and_another_seed_another():
    def world(seed):
        return DemoWorld(WorldSize(200, 30, seed, AS_OF), TOPICS)

    assert fingerprint(world(7)) == fingerprint(world(7))
    assert fingerprint(world(7)) != fingerprint(world(8))


def test_engagement_happens_inside_the_window_and_after_the_start():
    world = DemoWorld(WorldSize(500, 30, 3, AS_OF), TOPICS)
    end = int(AS_OF.timestamp()) * 1_000_000

    blocks = [line.record for line in world.lines() if isinstance(line.record, InteractionBlock)]

    micros = np.concatenate([b.micros for b in blocks])
    assert micros.max() < end
    assert micros.min() >= end - 30 * DAY


def test_usernames_are_written_as_each_network_writes_them():
    world = DemoWorld(WorldSize(200, 30, 5, AS_OF), TOPICS)

    names = {}
    for line in world.lines():
        if isinstance(line.record, HandleRecord):
            names.setdefault(line.record.network, []).append(line.record.username)

    assert all(
        name.split("@")[1] in MASTODON_SERVERS and name.count("@") == 1
        for name in names["mastodon"]
    )
    assert all(name.endswith(".bsky.social") and "_" not in name for name in names["bluesky"])
    assert all("@" not in name for name in names["twitter"])


def test_seed_demo_builds_the_world_with_its_documented_accounts(capsys):
    call_command("seed_demo", people=400, days=30, seed=11)

    out = capsys.readouterr().out
    assert out.startswith("Demo world of 400 people over 30 days: read ")
    for username in ["demo_spambot", "demo_bought_followers", "demo_genuine", "demo_ring_1",
                     "demo_ring_8"]:  # fmt: skip
        assert Handle.objects.filter(network="twitter", username=username).exists()
    assert Handle.objects.get(username="demo_bought_followers").followers_count == 100_000
    assert Post.objects.filter(handle__username="demo_spambot").count() == 300 * 30
    genuine = Handle.objects.get(username="demo_genuine")
    fans = Interaction.objects.filter(target=genuine).values("actor").distinct().count()
    assert fans > 50
    about = Post.objects.filter(handle=genuine).values_list("topics__slug", flat=True)
    assert set(about) == {"photography", "national-parks", "sustainability"}
    several = Person.objects.annotate(n=Count("handles")).filter(n__gt=1).count()
    assert several > 50
    assert Handle.objects.filter(is_private=True).exists()
    assert Post.objects.filter(topics__isnull=False).exists()
    assert not Person.objects.filter(handles__isnull=True).exists()


def test_seed_demo_does_nothing_the_second_time(capsys):
    call_command("seed_demo", people=100, days=10)
    counts = (Handle.objects.count(), Interaction.objects.count())
    capsys.readouterr()

    call_command("seed_demo", people=100, days=10)

    assert capsys.readouterr().out == "The demo world is already seeded.\n"
    assert (Handle.objects.count(), Interaction.objects.count()) == counts


def test_joining_handles_makes_one_person_and_removes_the_empty_ones(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("1 2 1700000000 RT\n3 1 1700000001 MT\n")
    call_command("import_signals", str(path), format="snap", network="twitter")
    call_command("import_signals", str(path), format="snap", network="mastodon")

    moved = people_join_handles(groups=[[("twitter", "1"), ("mastodon", "1"), ("mastodon", "2")]])

    assert moved == 2
    one = Handle.objects.get(network="twitter", external_id="1").person
    assert sorted(one.handles.values_list("network", "external_id")) == [
        ("mastodon", "1"),
        ("mastodon", "2"),
        ("twitter", "1"),
    ]
    assert Person.objects.count() == 6 - 2


def test_a_person_emptied_by_joining_goes_with_what_points_at_them(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("1 2 1700000000 RT\n")
    call_command("import_signals", str(path), format="snap", network="twitter")
    call_command("import_signals", str(path), format="snap", network="mastodon")
    emptied = Handle.objects.get(network="mastodon", external_id="1").person
    topic = Topic.objects.create(slug="jazz", name="Jazz")
    HiddenTopic.objects.create(person=emptied, topic=topic)

    people_join_handles(groups=[[("twitter", "1"), ("mastodon", "1")]])

    assert not Person.objects.filter(pk=emptied.pk).exists()
    assert not HiddenTopic.objects.exists()
    assert Person.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's one statement")
def test_only_people_nothing_points_at_are_deleted_at_once():
    alone, hiding, endorsing = (Person.objects.create() for _ in range(3))
    Handle.objects.create(person=Person.objects.create(), network="twitter", external_id="9")
    with_handle = Handle.objects.get(external_id="9").person
    jazz = Topic.objects.create(slug="jazz", name="Jazz")
    HiddenTopic.objects.create(person=hiding, topic=jazz)
    Endorsement.objects.create(giver=endorsing, receiver=with_handle, topic=jazz)

    people = [alone.pk, hiding.pk, endorsing.pk, with_handle.pk]
    deleted = delete_unreferenced(Person, people)

    assert deleted == {alone.pk}
    assert sorted(Person.objects.values_list("pk", flat=True)) == sorted(people[1:])


def test_people_say_where_they_are_the_same_way_for_a_seed():
    def places(seed):
        return DemoWorld(WorldSize(2000, 10, seed, AS_OF), TOPICS).person_places()

    first = places(7)

    assert first == places(7)
    assert first != places(8)
    cities = [city for _, city, _ in first if city]
    assert 0.7 < len(cities) / 2000 < 0.8  # most give a city; some only a country
    assert 0.85 < len(first) / 2000 < 0.95  # and a tenth say nothing
    assert len(set(cities)) > 20
    assert {country for _, _, country in first} >= {"GB", "US", "FR", "JP", "BR", "NG"}


def test_a_campaign_for_gb_or_london_reaches_someone_in_the_demo_world(capsys):
    call_command("seed_demo", people=400, days=30, seed=11)
    call_command("compute_scores")

    assert "say where they are." in capsys.readouterr().out
    assert people_matching(min_score=1, countries=["GB"]).exists()
    assert people_matching(min_score=1, cities=["london"]).exists()
    in_london = Person.objects.filter(place="London")
    assert set(in_london.values_list("country", flat=True)) == {"GB"}
