"""Whom a brand may reach: people by their score band, the topics their profile shows and
their places, as one queryset the caller narrows further, so that campaigns' targeting and
eligibility stay one statement; and what the estimate panel reads about them."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from scoring.models import HiddenTopic, Person, PersonTopic, topic_is_public
from scoring.selectors.people import visible_people

# Band bounds hold scores as people quote them (whole_score rounds half up): 9.5 is in a band
# from 10, and 100.5 is not in one up to 100.
HALF = 0.5
# Pages drawn by a fixed seed: the same target gives the same sample while the brand types.
TABLESAMPLE = "TABLESAMPLE SYSTEM (%s) REPEATABLE (0)"


def people_matching(
    *,
    min_score: int,
    max_score: int | None = None,
    topic_ids: Collection[int] = (),
    countries: Collection[str] = (),
    cities: Collection[str] = (),
) -> QuerySet[Person]:
    """Everyone a target takes in now, claimed profile or not: in the score band, influential
    about one of the topics (public, not hidden by them; none: any topic), in one of the
    countries or cities (none: anywhere). Opted-out people never."""
    people = visible_people().filter(score__gte=min_score - HALF)
    if max_score is not None:
        people = people.filter(score__lt=max_score + HALF)
    if topic_ids:
        people = people.filter(Exists(_shown_topics(topic_ids)))
    if not (countries or cities):
        return people
    return people.filter(in_places(countries, cities))


@dataclass(frozen=True)
class TopicCount:
    slug: str
    name: str
    people: int  # of those asked about, how many are influential about it


def topics_among(person_ids: Collection[int], *, limit: int) -> list[TopicCount]:
    """The topics most of these people are influential about, as their profiles show them
    (public, not hidden by them), with how many of them each; the most held first."""
    held = (
        PersonTopic.objects.filter(topic_is_public("topic__"), person__in=person_ids)
        .filter(~Exists(_hidden()))
        .values("topic__slug", "topic__name")
        .annotate(people=Count("person_id"))
        .order_by("-people", "topic__name")
    )
    return [
        TopicCount(row["topic__slug"], row["topic__name"], row["people"]) for row in held[:limit]
    ]


def people_sampled(people: QuerySet[Person], *, percent: float, fields: Sequence[str]) -> list:
    """The `fields` of those of `people` found on a random `percent` of the person table's
    pages: a cheap sample of a large target, the same one each time while the table stays as
    it is. On PostgreSQL, TABLESAMPLE (which the ORM cannot say), so that only those pages are
    read; elsewhere, as many people drawn at random."""
    rows = people.values_list(*fields)
    if connection.vendor != "postgresql":
        return list(rows.order_by("?")[: max(1, round(people.count() * percent / 100))])
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Person._meta.db_table)
    # The first FROM is the outer query's; the SELECT list before it takes no parameter.
    sampled = sql.replace(f"FROM {table}", f"FROM {table} {TABLESAMPLE}", 1)
    with connection.cursor() as cursor:
        cursor.execute(sampled, (percent, *params))
        return cursor.fetchall()


def in_places(countries: Collection[str], cities: Collection[str]) -> Q:
    """In one of the countries or cities (people_matching's filter of places)."""
    places = Q(country__in=countries)
    for city in cities:
        places |= Q(place__iexact=city)
    return places


def _shown_topics(topic_ids: Collection[int]) -> QuerySet[PersonTopic]:
    """The outer person's topic scores among `topic_ids` that their profile shows."""
    return PersonTopic.objects.filter(
        topic_is_public("topic__"), person=OuterRef("pk"), topic__in=topic_ids
    ).filter(~Exists(_hidden()))


def _hidden() -> QuerySet[HiddenTopic]:
    """Whether the outer row's person hid its topic from their profile."""
    return HiddenTopic.objects.filter(person=OuterRef("person"), topic=OuterRef("topic"))
