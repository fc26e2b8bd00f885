"""The writes of the scoring app that are not bulk imports (those are scoring.ingest)."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from itertools import batched

from django.db import connection, transaction

from scoring.ingest.writer import bulk_for_connection
from scoring.models import Handle, Person, Post
from scoring.selectors.people import approved_topics_matcher

CHUNK = 2000
HandleKey = tuple[str, str]  # (network, external id)


@transaction.atomic
def people_join_handles(*, groups: Sequence[Sequence[tuple[str, str]]]) -> int:
    """Make each group of handles, named (network, external id), one person: the person of
    the group's first handle. People left without a handle are deleted. Returns how many
    handles moved."""
    found = _handles_found(key for group in groups for key in group)
    moves: dict[int, int] = {}  # handle id → its new person
    emptied: set[int] = set()
    for group in groups:
        handles = [found[key] for key in group if key in found]
        for handle, person in handles[1:]:
            if person != handles[0][1]:
                moves[handle] = handles[0][1]
                emptied.add(person)
    _move_handles(moves)
    _delete_people_without_handles(emptied)
    return len(moves)


@transaction.atomic
def people_locate(*, places: Sequence[tuple[HandleKey, str, str]]) -> int:
    """Set where people say they are: for each handle, named (network, external id), its
    person's place and country (an ISO 3166-1 code, or ""). Returns how many people."""
    found = _handles_found(key for key, _, _ in places)
    rows = {found[key][1]: (place, country) for key, place, country in places if key in found}
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import update_rows

        columns = {"place": "text", "country": "text"}
        update_rows("scoring_person", columns, ((pk, *row) for pk, row in rows.items()))
    else:
        people = [
            Person(pk=pk, place=place, country=country) for pk, (place, country) in rows.items()
        ]
        Person.objects.bulk_update(people, ["place", "country"], batch_size=CHUNK)
    return len(rows)


def _handles_found(keys: Iterable[HandleKey]) -> dict[HandleKey, tuple[int, int]]:
    """Each of the handles that exists: key → (handle id, person id)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for network, external_id in keys:
        wanted[network].add(external_id)
    bulk = bulk_for_connection()
    return {
        (network, external_id): found
        for network, external_ids in wanted.items()
        for external_id, found in bulk.handle_people(network, external_ids).items()
    }


def _delete_people_without_handles(people: Collection[int]) -> None:
    """On PostgreSQL, those nothing points at go in one statement; the rest, as everywhere,
    through Django's collector, which deletes what points at them too."""
    if connection.vendor == "postgresql":
        from scoring.ingest.bulk_postgres import delete_unreferenced

        people = set(people) - delete_unreferenced(Person, people)
    for chunk in batched(people, CHUNK):
        Person.objects.filter(pk__in=chunk, handles__isnull=True).delete()


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
