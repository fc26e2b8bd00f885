"""Every lock that scoring's writes take, and the order they take them in.

A transaction that takes several locks takes them in this order, never back up it, so that no
two transactions can each hold a lock the other waits for:

1. a user (`user_lock`): a reporter's reports of topics are made one at a time
2. a stream's cursor (`stream_cursor_lock`), before anything its batch writes: two consumers
   of one stream write its events one batch at a time, each after the other's cursor
3. an import batch's `handle_creation_lock` (advisory), before the handles and people it
   writes
4. an opt-out request (`opt_out_request_lock`), before the handle and person it is about
5. handles, before their person: one with its person (`handle_and_person_lock`), or all of a
   person's in pk order and then the person (`person_and_handles_lock`,
   `owned_person_and_handles_lock`)
6. a person (`person_lock`, `owned_person_lock`); verifying a handle locks the handle's
   person before the user's own
7. campaigns' locks (campaigns.lock_objects), when an opt-out withdraws the person's claims
   (PERSON_OPT_OUT_HOOKS)

The taxonomy stands apart: a topic (`topic_lock`), or several in pk order (`topics_lock`);
a topic's open reports, on one profile or on every one, in pk order (`topic_reports_lock`).
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from marketplace.models import User
from scoring.models import Handle, OptOutRequest, Person, StreamCursor, Topic, TopicReport

HANDLE_CREATION = 7_401_338  # the advisory lock's key


def user_lock(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def stream_cursor_lock(stream: str) -> StreamCursor:
    """The stream's cursor, locked and read again; made at 0 before the stream's first batch."""
    StreamCursor.objects.get_or_create(stream=stream, defaults={"time_us": 0})
    return StreamCursor.objects.select_for_update().get(pk=stream)


def handle_creation_lock() -> None:
    """Keep concurrent imports from creating the same handle until this batch commits
    (PostgreSQL's bulk writer; SQLite lets one writer in at a time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HANDLE_CREATION])


def opt_out_request_lock(request_id: int) -> OptOutRequest:
    """The request, read again with its handle and person; only its own row is locked."""
    return (
        OptOutRequest.objects.select_for_update(of=("self",))
        .select_related("handle__person")
        .get(pk=request_id)
    )


def handle_and_person_lock(handle_id: int) -> Handle:
    """The handle and its person, both locked and read again (the person's owner too, not
    locked)."""
    return (
        Handle.objects.select_for_update(of=("self", "person"))
        .select_related("person__owner")
        .get(pk=handle_id)
    )


def person_and_handles_lock(person_id: int) -> Person:
    """Every handle of the person in pk order, then the person, read again."""
    handles = Handle.objects.select_for_update().filter(person_id=person_id).order_by("pk")
    list(handles.values_list("pk", flat=True))
    return Person.objects.select_for_update().get(pk=person_id)


def owned_person_and_handles_lock(user: User) -> Person | None:
    """The user's person, not opted out, locked as `person_and_handles_lock` does; None when
    they have none, or when it stopped being theirs while this waited."""
    found = Person.objects.filter(owner=user, opted_out=False).values_list("pk", flat=True)
    person_id = found.first()
    if person_id is None:
        return None
    person = person_and_handles_lock(person_id)
    return person if person.owner_id == user.pk and not person.opted_out else None


def person_lock(person_id: int) -> Person:
    return Person.objects.select_for_update().get(pk=person_id)


def owned_person_lock(user: User) -> QuerySet[Person]:
    """The person the user owns (opted out or not), locked when the queryset is read."""
    return Person.objects.select_for_update().filter(owner=user)


def topic_lock(topic_id: int) -> Topic:
    return Topic.objects.select_for_update().get(pk=topic_id)


def topics_lock(topic_ids: Iterable[int]) -> dict[int, Topic]:
    """The topics, locked in pk order and read again, by pk."""
    locked = Topic.objects.select_for_update().filter(pk__in=list(topic_ids)).order_by("pk")
    return {topic.pk: topic for topic in locked}


def topic_reports_lock(*, topic_id: int, person_id: int | None = None) -> None:
    """The topic's open reports, on one person's profile or on every one, in pk order:
    settling one report settles its twins, so each settling takes them in one order."""
    reports = TopicReport.objects.select_for_update().filter(
        topic_id=topic_id, resolved_at__isnull=True
    )
    if person_id is not None:
        reports = reports.filter(person_id=person_id)
    list(reports.order_by("pk").values_list("pk", flat=True))
