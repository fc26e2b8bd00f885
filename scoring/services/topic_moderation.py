"""What staff do to the taxonomy: approve, edit, merge, ban, mark sensitive, settle reports.
Every action leaves a ModerationLogEntry saying who did what, and when."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, F, ManyToOneRel, OneToOneRel, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from marketplace.errors import ApplicationError
from marketplace.models import User
from marketplace.queueing import queue_on_commit
from scoring.lock_objects import topic_lock, topic_reports_lock, topics_lock
from scoring.models import (
    HiddenTopic,
    ModerationAction,
    ModerationLogEntry,
    PersonTopic,
    Post,
    Topic,
    TopicReport,
    TopicStatus,
)

ParentLink = Topic.parents.through
# Fields a moderator edits in the topic's form; a change to the first three re-matches posts.
MATCHED_FIELDS = ("name", "aliases", "keywords")
EDITABLE_FIELDS = (*MATCHED_FIELDS, "slug", "description", "wikidata_id")


def _log(moderator: User | None, action: str, topic: Topic, detail: str = "") -> None:
    ModerationLogEntry.objects.create(
        moderator=moderator, action=action, topic=topic, detail=detail[:500]
    )


def _match_soon(topic: Topic, moderator: User | None) -> None:
    """Posts of the window that name the topic get it, and its people are found, once the
    change is committed; the moderator is told when that is done."""
    queue_on_commit(
        "scoring.tasks.topics_match_task", [topic.pk], moderator.pk if moderator else None
    )


@transaction.atomic
def topic_create(*, moderator: User, topic: Topic) -> None:
    """A topic staff add by hand; pending until approved, like a proposed one."""
    topic.save()
    _log(moderator, ModerationAction.CREATE, topic)


@transaction.atomic
def topic_approve(*, moderator: User, topic: Topic) -> None:
    if topic.status == TopicStatus.MERGED:
        raise ApplicationError(f"{topic.name} was merged into another topic.")
    if topic.status == TopicStatus.APPROVED:
        return
    was_banned = topic.status == TopicStatus.BANNED
    Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.APPROVED)
    topic.status = TopicStatus.APPROVED
    _log(moderator, ModerationAction.APPROVE, topic, "it was banned" if was_banned else "")
    _match_soon(topic, moderator)


@transaction.atomic
def topic_ban(*, moderator: User, topic: Topic) -> None:
    """Gone everywhere: from posts, people's topics and profiles; never proposed again."""
    if topic.status == TopicStatus.MERGED:
        raise ApplicationError(f"{topic.name} was merged into another topic.")
    if topic.status == TopicStatus.BANNED:
        return
    Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.BANNED)
    topic.status = TopicStatus.BANNED
    Post.topics.through.objects.filter(topic=topic).delete()
    PersonTopic.objects.filter(topic=topic).delete()
    _resolve_reports(topic, "topic banned")
    _log(moderator, ModerationAction.BAN, topic)


@transaction.atomic
def topic_mark_sensitive(*, moderator: User, topic: Topic, sensitive: bool) -> None:
    """A sensitive topic is kept and scored, but never shown publicly nor offered to brands."""
    if topic.is_sensitive == sensitive:
        return
    Topic.objects.filter(pk=topic.pk).update(is_sensitive=sensitive)
    topic.is_sensitive = sensitive
    if sensitive:
        _resolve_reports(topic, "topic marked sensitive")
    action = ModerationAction.SENSITIVE if sensitive else ModerationAction.NOT_SENSITIVE
    _log(moderator, action, topic)


@transaction.atomic
def topic_edit(
    *, moderator: User, topic: Topic, changes: dict[str, object], parents: Iterable[Topic]
) -> None:
    """Save new values of EDITABLE_FIELDS and a new set of parents (a rename is an edit)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Not editable here: {', '.join(sorted(unknown))}.")
    parent_ids = {parent.pk for parent in parents}
    if would_make_cycle(topic.pk, parent_ids):
        raise ApplicationError("A topic cannot be its own parent, nor its descendants' child.")
    before = topic_lock(topic.pk)
    notes = [
        f"{field}: {getattr(before, field)!r} → {value!r}"
        for field, value in changes.items()
        if getattr(before, field) != value
    ]
    for field, value in changes.items():
        setattr(topic, field, value)
    topic.save()
    old_parents = set(before.parents.values_list("pk", flat=True))
    if old_parents != parent_ids:
        topic.parents.set(parent_ids)
        names = Topic.objects.filter(pk__in=old_parents | parent_ids).values_list("pk", "name")
        named = dict(names)

        def listed(pks: set[int]) -> str:
            return ", ".join(sorted(named[pk] for pk in pks)) or "none"

        notes.append(f"parents: {listed(old_parents)} → {listed(parent_ids)}")
    if not notes:
        return
    _log(moderator, ModerationAction.EDIT, topic, "; ".join(notes))
    if topic.status == TopicStatus.APPROVED and set(changes) & set(MATCHED_FIELDS):
        _match_soon(topic, moderator)


@transaction.atomic
def topic_merge(*, moderator: User, source: Topic, target: Topic) -> None:
    """Make `source` part of `target`: its names become target's aliases, and everything
    that referred to it (posts, people's topic scores, +K, hidden topics, reports, children,
    and other apps' links such as campaign targets) refers to target. Source stays, merged,
    so that its address leads to target."""
    if source.pk == target.pk:
        raise ApplicationError("A topic cannot be merged into itself.")
    # Both rows locked and read again: two moderators merging A into B and B into A at once
    # would otherwise leave each merged into the other.
    fresh = topics_lock([source.pk, target.pk])
    source, target = fresh[source.pk], fresh[target.pk]
    if source.status == TopicStatus.MERGED:
        raise ApplicationError(f"{source.name} was already merged.")
    if target.status not in (TopicStatus.APPROVED, TopicStatus.PENDING):
        raise ApplicationError(f"{target.name} is {target.get_status_display().lower()}.")
    names = [*target.aliases, source.name, *source.aliases]
    target.aliases = [n for n in dict.fromkeys(names) if n.casefold() != target.name.casefold()]
    target.keywords = list(dict.fromkeys([*target.keywords, *source.keywords]))
    target.save(update_fields=["aliases", "keywords", "updated_at"])
    _move_parent_links(source, target)
    # Someone influential on both keeps the better of their two scores.
    PersonTopic.objects.filter(
        topic=target, person__in=PersonTopic.objects.filter(topic=source).values("person")
    ).update(
        score=Greatest(
            F("score"),
            Subquery(
                PersonTopic.objects.filter(topic=source, person=OuterRef("person")).values("score")
            ),
        )
    )
    _move_references(source, target)
    Topic.objects.filter(pk=source.pk).update(status=TopicStatus.MERGED, merged_into=target)
    source.status, source.merged_into = TopicStatus.MERGED, target
    _log(moderator, ModerationAction.MERGE, source, f"into {target.name} (#{target.pk})")
    _log(moderator, ModerationAction.MERGE, target, f"{source.name} (#{source.pk}) merged in")
    if target.status == TopicStatus.APPROVED:
        _match_soon(target, moderator)


def _move_parent_links(source: Topic, target: Topic) -> None:
    """Source's parents and children become target's, unless that would make a cycle."""
    below, above = _descendants(target.pk), _ancestors(target.pk)
    links = ParentLink.objects.filter(from_topic=source) | ParentLink.objects.filter(
        to_topic=source
    )
    new = []
    for child, parent in links.values_list("from_topic_id", "to_topic_id"):
        if child == source.pk and parent != target.pk and parent not in below:
            new.append(ParentLink(from_topic_id=target.pk, to_topic_id=parent))
        elif parent == source.pk and child != target.pk and child not in above:
            new.append(ParentLink(from_topic_id=child, to_topic_id=target.pk))
    links.delete()
    ParentLink.objects.bulk_create(new, ignore_conflicts=True)


def _move_references(source: Topic, target: Topic) -> None:
    """Every foreign key to a topic, in any app and in many-to-many tables, now names target.
    Where that would repeat a row a unique constraint forbids, source's row goes."""
    for relation in Topic._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ManyToOneRel) or isinstance(relation, OneToOneRel):
            continue
        model, field = relation.related_model, relation.field.name
        if model in (ModerationLogEntry, ParentLink):
            continue  # the log is history; parent links moved already
        rows = model._default_manager.filter(**{field: source})
        for fields in _unique_field_sets(model):
            if field in fields:
                others = {name: OuterRef(name) for name in fields if name != field}
                twin = model._default_manager.filter(**{field: target}, **others)
                rows.filter(Exists(twin)).delete()
        rows.update(**{field: target})


def _unique_field_sets(model: type) -> list[tuple[str, ...]]:
    meta = model._meta  # type: ignore[attr-defined]
    sets = [tuple(constraint.fields) for constraint in meta.total_unique_constraints]
    sets += [tuple(together) for together in meta.unique_together]
    if meta.pk is not None and hasattr(meta.pk, "fields"):  # a composite primary key
        sets.append(tuple(f.name for f in meta.pk.fields))
    return sets


def would_make_cycle(topic_id: int, parent_ids: set[int]) -> bool:
    return topic_id in parent_ids or bool(parent_ids & _descendants(topic_id))


def _links() -> dict[int, set[int]]:
    """Child → its parents, for the whole taxonomy (a few thousand pairs)."""
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in ParentLink.objects.values_list("from_topic_id", "to_topic_id"):
        parents[child].add(parent)
    return parents


def _ancestors(topic_id: int) -> set[int]:
    return _reachable(topic_id, _links())


def _descendants(topic_id: int) -> set[int]:
    children: dict[int, set[int]] = defaultdict(set)
    for child, parents in _links().items():
        for parent in parents:
            children[parent].add(child)
    return _reachable(topic_id, children)


def _reachable(start: int, edges: dict[int, set[int]]) -> set[int]:
    seen: set[int] = set()
    todo = [start]
    while todo:
        for next_ in edges.get(todo.pop(), ()):
            if next_ not in seen:
                seen.add(next_)
                todo.append(next_)
    return seen


def _resolve_reports(topic: Topic, outcome: str, person_id: int | None = None) -> int:
    """Settle the open reports of the topic (on one person's profile, or on any)."""
    topic_reports_lock(topic_id=topic.pk, person_id=person_id)
    reports = TopicReport.objects.filter(topic=topic, resolved_at__isnull=True)
    if person_id is not None:
        reports = reports.filter(person_id=person_id)
    return reports.update(resolved_at=timezone.now(), outcome=outcome)


def _open(report: TopicReport) -> None:
    """Refuse a report settled already, perhaps a moment ago with another on the profile."""
    topic_reports_lock(topic_id=report.topic_id, person_id=report.person_id)
    now = TopicReport.objects.get(pk=report.pk)
    if now.resolved_at is not None:
        raise ApplicationError(f"It was settled already: {now.outcome or 'resolved'}.")


@transaction.atomic
def report_dismiss(*, moderator: User, report: TopicReport) -> None:
    """The topic is right where it is: the open reports of it on that profile are closed,
    nothing else changes."""
    _open(report)
    _resolve_reports(report.topic, "dismissed", report.person_id)
    _log(moderator, ModerationAction.DISMISS_REPORT, report.topic, _on(report))


@transaction.atomic
def report_hide_on_profile(*, moderator: User, report: TopicReport) -> None:
    """The topic is wrong for this one person: hidden from their profile and from brands,
    as if they had hidden it themselves. Settles every open report of it on that profile."""
    _open(report)
    HiddenTopic.objects.get_or_create(person_id=report.person_id, topic_id=report.topic_id)
    _resolve_reports(report.topic, "hidden on that profile", report.person_id)
    _log(moderator, ModerationAction.HIDE_ON_PROFILE, report.topic, _on(report))


def _on(report: TopicReport) -> str:
    return f"on the profile of {report.person} (/p/{report.person.public_id}/)"
