"""New topics come from the people: a hashtag that many different people used lately and that
no topic names (approved, pending, banned or merged) becomes a pending topic, with its
evidence, for staff to approve, rename, merge or ban. A banned hashtag is never proposed
again, because its topic still names it."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from marketplace.slugs import free_slug
from scoring.models import (
    ModerationAction,
    ModerationLogEntry,
    Post,
    Topic,
    TopicEvidence,
    TopicStatus,
)
from scoring.topic_matching import hashtag_key, hashtag_keys

# A "#" that starts a word, then letters, digits or "_", at least one a letter ("#2026" is no
# topic); "C#" and "page#part" are not hashtags.
HASHTAG = re.compile(r"(?<![\w#&/])#(\w*[^\W\d_]\w*)")
SAMPLES = 5
CHUNK = 5000


@dataclass(frozen=True)
class Thresholds:
    days: int = 7  # how far back hashtags are counted
    min_people: int = 25  # distinct people who used it, whatever their number of posts
    limit: int = 50  # new topics a run may propose, the most widely used first


@dataclass
class _Tally:
    posts: int = 0
    written: Counter[str] = field(default_factory=Counter)  # how people spelled it
    latest: dict[int, tuple[datetime, int]] = field(default_factory=dict)  # person → post

    @property
    def people(self) -> int:
        return len(self.latest)

    def samples(self) -> list[int]:
        """The latest posts of different people."""
        return [post for _, post in sorted(self.latest.values(), reverse=True)[:SAMPLES]]


@dataclass(frozen=True)
class Proposals:
    created: list[str]  # the new topics' names
    refreshed: int  # pending topics whose evidence was counted again


def topic_candidates_propose(*, now: datetime, thresholds: Thresholds) -> Proposals:
    since = now - timedelta(days=thresholds.days)
    named, proposed = _known_hashtags()
    tallies = _tally(since, skip=named.keys() - proposed.keys())
    frequent = sorted(
        ((key, t) for key, t in tallies.items() if t.people >= thresholds.min_people),
        key=lambda pair: (-pair[1].people, pair[0]),
    )
    new = [(key, t) for key, t in frequent if key not in proposed][: thresholds.limit]
    again = [(proposed[key], t) for key, t in frequent if key in proposed]
    with transaction.atomic():
        created = [_propose(key, tally, since, now) for key, tally in new]
        for topic_id, tally in again:
            _record(topic_id, tally, since, now)
    return Proposals([topic.name for topic in created], len(again))


def _known_hashtags() -> tuple[dict[str, int], dict[str, int]]:
    """Every hashtag that names a topic, to its topic; and, among them, those of pending
    topics that were proposed from a hashtag (their evidence is counted again)."""
    named: dict[str, int] = {}
    rows = Topic.objects.values_list("pk", "name", "aliases", "keywords")
    for pk, name, aliases, keywords in rows:
        for phrase in (name, *aliases, *keywords):
            named.update(dict.fromkeys(hashtag_keys(phrase), pk))
    evidence = TopicEvidence.objects.filter(topic__status=TopicStatus.PENDING)
    proposed = dict(evidence.values_list("hashtag", "topic_id"))
    return named, proposed


def _tally(since: datetime, skip: set[str]) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    posts = (
        Post.objects.filter(published_at__gte=since, text__contains="#")
        .values_list("pk", "text", "handle__person_id", "published_at")
        .iterator(chunk_size=CHUNK)
    )
    for post, text, person, published_at in posts:
        for written in set(HASHTAG.findall(text)):
            key = hashtag_key(written)
            if key in skip or len(key) < 3:
                continue
            tally = tallies.setdefault(key, _Tally())
            tally.posts += 1
            tally.written[written] += 1
            seen = tally.latest.get(person)
            if seen is None or published_at > seen[0]:
                tally.latest[person] = (published_at, post)
    return tallies


def _propose(key: str, tally: _Tally, since: datetime, now: datetime) -> Topic:
    name = tally.written.most_common(1)[0][0]
    slug = free_slug(Topic.objects.all(), name, fallback="topic")
    topic = Topic.objects.create(slug=slug, name=name, status=TopicStatus.PENDING)
    _record(topic.pk, tally, since, now, hashtag=key)
    ModerationLogEntry.objects.create(
        action=ModerationAction.PROPOSE,
        topic=topic,
        detail=f"{key}: {tally.people} people, {tally.posts} posts since {since:%Y-%m-%d}",
    )
    return topic


def _record(
    topic_id: int, tally: _Tally, since: datetime, now: datetime, hashtag: str = ""
) -> None:
    counts = {"people": tally.people, "posts": tally.posts, "counted_since": since}
    if hashtag:
        counts["hashtag"] = hashtag
    evidence, _ = TopicEvidence.objects.update_or_create(
        topic_id=topic_id, defaults={**counts, "counted_at": now}
    )
    evidence.samples.set(tally.samples())
