"""The conversation some people started: their posts naming a hashtag or a handle, each
counted from a time of its author's, and the engagement those posts received."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from scoring.models import Interaction, Post

POSTS_SHOWN = 20


@dataclass(frozen=True)
class Conversation:
    terms: Sequence[str]  # what was looked for
    posts: list[tuple[Post, int]]  # the most engaging first, with the engagement each received
    total_posts: int
    total_engagement: int
    people: int  # distinct people who engaged
    posts_by_day: Counter[date] = field(default_factory=Counter)  # all posts, when published
    engagement_by_day: Counter[date] = field(default_factory=Counter)  # when it happened


def conversation_naming(
    *, terms: Sequence[str], authors: QuerySet[Any], engaged_since: datetime
) -> Conversation:
    """The posts of `authors` that name any of `terms` (in any case), and the engagement they
    received from `engaged_since`, in all and day by day. `authors` holds rows of a `person`
    and the `since` time from which their posts count, e.g. `claims.values("person",
    since=F("created_at"))`. Three queries: the posts, their engagement, and the people behind
    it; none without terms."""
    if not terms:
        return Conversation(terms, [], 0, 0, 0)
    counted = authors.filter(person=OuterRef("handle__person"), since__lte=OuterRef("published_at"))
    named = Q()
    for term in terms:
        named |= Q(text__icontains=term)
    posts = {
        post.pk: post
        for post in Post.objects.filter(handle__person__in=authors.values("person"))
        .filter(named, Exists(counted))
        .select_related("handle")
    }
    engagement = Interaction.objects.filter(post_id__in=list(posts), occurred_at__gte=engaged_since)
    counts: Counter[int] = Counter()
    engagement_by_day: Counter[date] = Counter()
    by_post_and_day = engagement.values("post", day=TruncDate("occurred_at")).annotate(n=Count("*"))
    for post_id, day, n in by_post_and_day.values_list("post", "day", "n"):
        counts[post_id] += n
        engagement_by_day[day] += n
    people = engagement.values("actor__person").distinct().count() if posts else 0
    ranked = sorted(posts.values(), key=lambda post: (-counts.get(post.pk, 0), -post.pk))
    return Conversation(
        terms,
        [(post, counts.get(post.pk, 0)) for post in ranked[:POSTS_SHOWN]],
        len(posts),
        sum(counts.values()),
        people,
        Counter(timezone.localdate(post.published_at) for post in posts.values()),
        engagement_by_day,
    )
