"""Whom a brand may reach: people by their score band, the topics their profile shows and
their places, as one queryset the caller narrows further, so that campaigns' targeting and
eligibility stay one statement."""

from collections.abc import Collection

from django.db.models import Exists, OuterRef, Q, QuerySet

from scoring.models import HiddenTopic, Person, PersonTopic, topic_is_public
from scoring.selectors.people import visible_people

# Band bounds hold scores as people quote them (whole_score rounds half up): 9.5 is in a band
# from 10, and 100.5 is not in one up to 100.
HALF = 0.5


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
    places = Q(country__in=countries)
    for city in cities:
        places |= Q(place__iexact=city)
    return people.filter(places)


def _shown_topics(topic_ids: Collection[int]) -> QuerySet[PersonTopic]:
    """The outer person's topic scores among `topic_ids` that their profile shows."""
    hidden = HiddenTopic.objects.filter(person=OuterRef("person"), topic=OuterRef("topic"))
    return PersonTopic.objects.filter(
        topic_is_public("topic__"), person=OuterRef("pk"), topic__in=topic_ids
    ).filter(~Exists(hidden))
