"""What the pages read about people: each a fixed number of queries, whatever the data size."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone

from marketplace.models import User
from scoring.handle_query import HandleIdQuery, HandleQuery, NameQuery, Query, WordQuery
from scoring.models import (
    Handle,
    HiddenTopic,
    Network,
    OptOutRequest,
    Person,
    PersonTopic,
    ScoreSnapshot,
    Topic,
    TopicStatus,
    topic_is_public,
    username_key,
)
from scoring.topic_matching import TopicMatcher

TOPICS_SHOWN = 10

TopicScore = tuple[Topic, float]  # a topic and the person's 1–100 score on it


def scored_day(person: Person) -> date:
    return person.score_day or timezone.localdate()


def visible_people() -> QuerySet[Person]:
    return Person.objects.filter(opted_out=False)


def people_with_topics(
    people: Sequence[Person], hidden: dict[int, set[int]] | None = None
) -> list[tuple[Person, list[TopicScore]]]:
    """Each person with the topics their profile shows (approved, never sensitive, not hidden
    by them, highest topic score first), in two queries for them all. `hidden` (person pk →
    topic pks) spares the second when the caller has it."""
    if not people:
        return []
    rows = PersonTopic.objects.filter(topic_is_public("topic__"), person__in=people).select_related(
        "topic"
    )
    if hidden is None:
        hidden = defaultdict(set)
        for person_id, topic_id in HiddenTopic.objects.filter(person__in=people).values_list(
            "person_id", "topic_id"
        ):
            hidden[person_id].add(topic_id)
    kept: dict[int, list[TopicScore]] = defaultdict(list)
    for row in rows.order_by("-score", "topic_id"):
        if row.topic_id not in hidden.get(row.person_id, ()):
            kept[row.person_id].append((row.topic, row.score))
    return [(person, kept[person.pk][:TOPICS_SHOWN]) for person in people]


def people_search(*, query: Query) -> QuerySet[Person]:
    """The people a search names: for one word, those with it as a username first, then those
    whose username starts with it, then those with it in their name; the highest scored first
    within each."""
    people = visible_people()
    by_score = (F("score").desc(nulls_last=True), "pk")
    if isinstance(query, HandleQuery):
        networks = [query.network] if query.network else Network.values
        # The network is given even when any will do, so the unique index on (network,
        # username) serves the look-up.
        handles = Handle.objects.filter(network__in=networks, username_key=query.username)
        return people.filter(pk__in=handles.values("person_id")).order_by(*by_score)
    if isinstance(query, HandleIdQuery):
        handles = Handle.objects.filter(network=query.network, external_id=query.external_id)
        return people.filter(pk__in=handles.values("person_id")).order_by(*by_score)
    # Names match the trigram index of migration 0005 (upper(display_name), non-empty names).
    text = query.word if isinstance(query, WordQuery) else query.text
    named = ~Q(display_name="") & Q(display_name__icontains=text)
    if isinstance(query, NameQuery):
        return people.filter(named).order_by(*by_score)
    key = username_key(text)
    exact = Handle.objects.filter(network__in=Network.values, username_key=key)
    # The trigram index of migration 0017 serves the prefix.
    starting = Handle.objects.filter(username_key__startswith=key)
    exact_ids, starting_ids = exact.values("person_id"), starting.values("person_id")
    rank = Case(When(pk__in=exact_ids, then=0), When(pk__in=starting_ids, then=1), default=2)
    return (
        people.filter(Q(pk__in=exact_ids) | Q(pk__in=starting_ids) | named)
        .annotate(rank=rank)
        .order_by("rank", *by_score)
    )


SUGGESTED = 5


def handles_like(*, word: str) -> list[Handle]:
    """The handles of visible people whose usernames are closest to `word`, for a search that
    found nobody: trigram similarity on PostgreSQL, the first three letters elsewhere."""
    key = username_key(word)
    handles = Handle.objects.filter(person__opted_out=False).exclude(username_key="")
    if connection.vendor == "postgresql":
        handles = handles.filter(username_key__trigram_similar=key).order_by(
            -TrigramSimilarity("username_key", key), "pk"
        )
    else:
        handles = handles.filter(username_key__startswith=key[:3]).order_by("username_key")
    return list(handles.select_related("person")[:SUGGESTED])


def public_id_of_handle(*, network: str, username: str) -> str | None:
    return (
        visible_people()
        .filter(handles__network=network, handles__username_key=username_key(username))
        .values_list("public_id", flat=True)
        .first()
    )


def badge_of(*, public_id: str) -> Person | None:
    return (
        visible_people()
        .only("public_id", "display_name", "score")
        .filter(public_id=public_id)
        .first()
    )


def handle_named(*, query: HandleQuery | HandleIdQuery) -> Handle | None:
    """The handle a query on one network names, by its username or by the network's id."""
    handles = Handle.objects.filter(network=query.network).select_related("person")
    if isinstance(query, HandleIdQuery):
        return handles.filter(external_id=query.external_id).first()
    return handles.filter(username_key=username_key(query.username)).first()


def handles_of(*, user: User) -> list[Handle]:
    """The handles of the user's person, verified or not, by network."""
    return list(
        Handle.objects.filter(person__owner=user, person__opted_out=False).order_by(
            "network", "username_key"
        )
    )


def opt_out_requests_of(*, user: User) -> list[OptOutRequest]:
    return list(
        OptOutRequest.objects.filter(user=user).select_related("handle").order_by("-created_at")
    )


def public_id_of_user(*, user: User) -> str | None:
    return visible_people().filter(owner=user).values_list("public_id", flat=True).first()


HOME_TOPICS = 5


@dataclass(frozen=True)
class Glance:
    """A person's own profile at a glance, as their home page shows it."""

    person: Person
    day_change: float | None  # since the day before, to a tenth; None without both days
    topics: list[TopicScore]  # the first of those their profile shows


def glance_of(*, user: User) -> Glance | None:
    """The user's own person, its score's change and top topics; None before they verify a
    handle (or after they opted out). Four queries."""
    person = visible_people().filter(owner=user).first()
    if person is None:
        return None
    before = (
        ScoreSnapshot.objects.filter(
            person=person,
            day=scored_day(person) - timedelta(days=1),
            model_version=person.score_model,
        )
        .values_list("score", flat=True)
        .first()
    )
    change = None if person.score is None or before is None else round(person.score - before, 1)
    topics = people_with_topics([person])[0][1][:HOME_TOPICS]
    return Glance(person, change, topics)


def approved_topics_matcher(only: Collection[int] | None = None) -> TopicMatcher:
    """A matcher of the approved topics (or those of them in `only`) by name, aliases and
    keywords."""
    approved = Topic.objects.filter(status=TopicStatus.APPROVED)
    if only is not None:
        approved = approved.filter(pk__in=only)
    rows = approved.values_list("pk", "name", "aliases", "keywords")
    return TopicMatcher((pk, [name, *aliases, *keywords]) for pk, name, aliases, keywords in rows)
