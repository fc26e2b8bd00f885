"""Hashtags many people use, that no topic names, become pending topics with their evidence."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from scoring.models import ModerationLogEntry, Topic, TopicEvidence
from scoring.services.topic_candidates import Proposals, Thresholds, topic_candidates_propose
from scoring.services.topic_moderation import topic_approve, topic_ban
from tests.factories import UserFactory
from tests.scoring.worlds import handle, said, write_and_import

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, tzinfo=UTC)
FEW = Thresholds(days=7, min_people=10, limit=50)
PEOPLE = [f"u{n}" for n in range(12)]


def world(tmp_path, *posts):
    write_and_import(tmp_path, [handle(u, u, u.title()) for u in PEOPLE] + list(posts))


def everyone(text, day=20, prefix="x"):
    return [said(f"{prefix}{u}", u, text.format(n=n), day=day) for n, u in enumerate(PEOPLE)]


def proposed():
    rows = TopicEvidence.objects.select_related("topic")
    return {row.topic.name: (row.people, row.posts) for row in rows}


def test_a_hashtag_many_people_use_becomes_a_pending_topic_with_evidence(tmp_path):
    again = said("y", "u0", "#lyon_lights!", day=21)
    world(tmp_path, *everyone("Night {n} at the #LyonLights"), again)

    proposals = topic_candidates_propose(now=NOW, thresholds=FEW)

    assert proposals.created == ["LyonLights"]
    topic = Topic.objects.get(name="LyonLights")
    assert (topic.slug, topic.status) == ("lyonlights", "pending")
    evidence = topic.evidence
    assert (evidence.hashtag, evidence.people, evidence.posts) == ("#lyonlights", 12, 13)
    samples = list(evidence.samples.select_related("handle"))
    assert len(samples) == 5
    assert len({post.handle_id for post in samples}) == 5
    [entry] = ModerationLogEntry.objects.all()
    assert (entry.moderator, entry.action) == (None, "propose")
    assert entry.detail == "#lyonlights: 12 people, 13 posts since 2026-11-15"


def test_one_person_posting_a_hashtag_a_hundred_times_proposes_nothing(tmp_path):
    spam = [said(f"s{n}", "u0", f"Buy now #MegaDeal {n}", day=15 + n % 7) for n in range(100)]
    world(tmp_path, *spam, *everyone("#2026 was the year", prefix="y"))

    assert topic_candidates_propose(now=NOW, thresholds=FEW).created == []


def test_hashtags_that_name_a_topic_of_any_status_or_are_old_are_not_proposed(tmp_path):
    Topic.objects.create(slug="ice-cream", name="Ice Cream", status="approved")
    Topic.objects.create(slug="scam", name="Crypto Scam", status="banned")
    Topic.objects.create(slug="lost-tv", name="Lost (TV Series)", status="approved")
    world(
        tmp_path,
        *everyone("#IceCream"),
        *everyone("#cryptoscam", prefix="y"),
        *everyone("#Lost", prefix="z"),
        *everyone("#OldNews", day=10, prefix="w"),
    )

    assert topic_candidates_propose(now=NOW, thresholds=FEW).created == []


def test_a_candidate_is_counted_again_not_proposed_twice_and_never_after_a_ban(tmp_path):
    world(tmp_path, *everyone("#LyonLights"))
    topic_candidates_propose(now=NOW, thresholds=FEW)
    write_and_import(tmp_path, everyone("More #LyonLights", day=21, prefix="y"))

    again = topic_candidates_propose(now=NOW, thresholds=FEW)

    assert (again.created, again.refreshed) == ([], 1)
    assert proposed() == {"LyonLights": (12, 24)}
    topic_ban(moderator=UserFactory(is_staff=True), topic=Topic.objects.get(name="LyonLights"))
    after_ban = topic_candidates_propose(now=NOW, thresholds=FEW)
    assert (after_ban.created, after_ban.refreshed) == ([], 0)


def test_an_approved_candidate_is_left_alone(tmp_path):
    world(tmp_path, *everyone("#LyonLights"))
    topic_candidates_propose(now=NOW, thresholds=FEW)
    topic_approve(moderator=UserFactory(is_staff=True), topic=Topic.objects.get(name="LyonLights"))

    assert topic_candidates_propose(now=NOW, thresholds=FEW) == Proposals([], 0)


def test_the_most_used_hashtags_are_proposed_first_within_the_limit(tmp_path):
    posts = everyone("#Alpha #Beta")
    posts += [said(f"z{u}", u, "#Gamma") for u in PEOPLE[:10]]
    world(tmp_path, *posts)

    proposals = topic_candidates_propose(now=NOW, thresholds=Thresholds(7, 10, limit=2))

    assert proposals.created == ["Alpha", "Beta"]


def test_the_command_proposes_from_the_last_days(tmp_path, capsys):
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    posts = [{**post, "published_at": yesterday} for post in everyone("#LyonLights")]
    path = tmp_path / "recent.jsonl"
    records = [handle(u, u, u.title()) for u in PEOPLE] + posts
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    call_command("import_signals", str(path), format="jsonl")
    capsys.readouterr()

    call_command("propose_topics", min_people=10)

    assert capsys.readouterr().out == (
        "Proposed 1 new topics (LyonLights); evidence counted again for 0 pending ones.\n"
    )
