"""The writes of the scoring app that are not bulk imports (those are scoring.ingest)."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from itertools import batched

from django.db import connection, transaction

from scoring.models import Handle, Person, Post
from scoring.selectors.people import approved_topics_matcher

CHUNK = 2000


@transaction.atomic
def people_join_handles(*, groups: Sequence[Sequence[tuple[str, str]]]) -> int:
    """Make each group of handles, named (network, external id), one person: the person of
    the group's first handle. People left without a handle are deleted. Returns how many
    handles moved."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for network, external_id in group:
            wanted[network].add(external_id)
    found: dict[tuple[str, str], tuple[int, int]] = {}  # key → (handle id, person id)
    for network, external_ids in wanted.items():
        for chunk in batched(external_ids, CHUNK):
            rows = Handle.objects.filter(network=network, external_id__in=chunk)
            found.update(
                ((network, e), (pk, person))
                for e, pk, person in rows.values_list("external_id", "pk", "person_id")
            )
    moves: dict[int, int] = {}  # handle id → its new person
    emptied: set[int] = set()
    for group in groups:
        handles = [found[key] for key in group if key in found]
        for handle, person in handles[1:]:
            if person != handles[0][1]:
                moves[handle] = handles[0][1]
                emptied.add(person)
    _move_handles(moves)
    for people in batched(emptied, CHUNK):
        Person.objects.filter(pk__in=people, handles__isnull=True).delete()
    return len(moves)


def _move_handles(moves: dict[int, int]) -> None:
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import update_rows

        update_rows("scoring_handle", {"person_id": "bigint"}, moves.items())
        return
    handles = [Handle(pk=pk, person_id=person) for pk, person in moves.items()]
    Handle.objects.bulk_update(handles, ["person"], batch_size=CHUNK)


def posts_match_topics(
    *, since: datetime, topics: Collection[int] | None = None
) -> tuple[int, int]:
    """Match the text of every post published since `since` against the approved topics
    as they are now (or those of them in `topics`), adding the topics found: a topic approved
    today reaches back over the window. Runs chunk by chunk, each in its own transaction.
    Returns (posts, topics added)."""
    matcher = approved_topics_matcher(only=topics)
    tag = Post.topics.through
    posts = added = 0
    last = 0
    while True:
        chunk = list(
            Post.objects.filter(published_at__gte=since, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "text")[:CHUNK]
        )
        if not chunk:
            return posts, added
        rows = [
            tag(post_id=pk, topic_id=topic) for pk, text in chunk for topic in matcher.match(text)
        ]
        with transaction.atomic():
            before = tag.objects.filter(post_id__in=[pk for pk, _ in chunk]).count()
            tag.objects.bulk_create(rows, ignore_conflicts=True)
            added += tag.objects.filter(post_id__in=[pk for pk, _ in chunk]).count() - before
        posts += len(chunk)
        last = chunk[-1][0]
