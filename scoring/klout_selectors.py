"""What Klout's API v2 reads, in Klout's terms: a person is a "Klout id" (our public id), a
score has a bucket and day, week and month changes, and networks have two-letter names."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, QuerySet, When

from scoring.models import Handle, Network, Person, ScoreSnapshot
from scoring.selectors import people_with_topics, scored_day, visible_people

# Klout's network codes; "gp" was Google+, whose people are on YouTube now.
NETWORKS = {"tw": Network.TWITTER, "gp": Network.YOUTUBE, "ig": Network.INSTAGRAM}
CHANGES = {"dayChange": 1, "weekChange": 7, "monthChange": 30}  # days back


def bucket(score: float) -> str:
    low = min(int(score // 10) * 10, 90)
    return "90-100" if low == 90 else f"{low}-{low + 9}"


@dataclass(frozen=True)
class KloutScore:
    score: float
    bucket: str
    changes: dict[str, float]  # dayChange, weekChange, monthChange


@dataclass(frozen=True)
class KloutUser:
    person: Person
    nick: str
    score: KloutScore


def klout_id_of_handle(*, network: str, external_id: str = "", username: str = "") -> str | None:
    handles = Handle.objects.filter(network=network, person__opted_out=False)
    if username:
        handles = handles.filter(username_key=username.removeprefix("@").casefold())
    else:
        handles = handles.filter(external_id=external_id)
    return handles.values_list("person__public_id", flat=True).first()


def twitter_id_of(*, klout_id: str) -> str | None:
    handles = Handle.objects.filter(
        person__public_id=klout_id, person__opted_out=False, network=Network.TWITTER
    )
    return handles.order_by("pk").values_list("external_id", flat=True).first()


def scored_people() -> QuerySet[Person]:
    return visible_people().exclude(score=None)


def klout_users(people: Sequence[Person]) -> list[KloutUser]:
    """The people with their nicks and score changes: two queries for them all."""
    twitter_first = Case(When(network=Network.TWITTER, then=0), default=1)
    nicks: dict[int, str] = {}
    for person_id, username in (
        Handle.objects.filter(person__in=people)
        .exclude(username="")
        .order_by("person_id", twitter_first, "pk")
        .values_list("person_id", "username")
    ):
        nicks.setdefault(person_id, username)
    changes = _changes(people)
    return [
        KloutUser(
            person,
            nicks.get(person.pk) or str(person),
            KloutScore(round(person.score or 0, 2), bucket(person.score or 0), changes[person.pk]),
        )
        for person in people
    ]


def _changes(people: Sequence[Person]) -> dict[int, dict[str, float]]:
    """Each person's score now minus their score 1, 7 and 30 days before (0 when unknown)."""
    wanted: dict[tuple[int, date], tuple[int, str]] = {}
    for person in people:
        day = scored_day(person)
        for name, back in CHANGES.items():
            wanted[(person.pk, day - timedelta(days=back))] = (person.pk, name)
    days = {day for _, day in wanted}
    version = {p.pk: p.score_details.get("model", "") for p in people}
    found = {
        (person_id, day): score
        for person_id, day, model, score in ScoreSnapshot.objects.filter(
            person__in=people, day__in=days
        ).values_list("person_id", "day", "model_version", "score")
        if model == version[person_id]
    }
    now = {person.pk: person.score or 0.0 for person in people}
    changes = {person.pk: dict.fromkeys(CHANGES, 0.0) for person in people}
    for key, (person_id, name) in wanted.items():
        if key in found:
            changes[person_id][name] = round(now[person_id] - found[key], 2)
    return changes


def klout_topics(*, person: Person) -> list[tuple[int, str, str, bool]]:
    """The topics the person's profile shows: id, name, slug, broad area or not."""
    topics = people_with_topics([person])[0][1]
    return [(topic.pk, topic.name, topic.slug, topic.is_area) for topic, _ in topics]


@dataclass(frozen=True)
class KloutInfluence:
    influencers: list[KloutUser]
    influencees: list[KloutUser]


def klout_influence(*, person: Person) -> KloutInfluence:
    """Who the person's influencers and influencees are, in the order their profile lists
    them: three queries."""
    details = person.score_details
    ids = {name: [pk for pk, _ in details.get(name, [])] for name in ("influencers", "influencees")}
    related = scored_people().in_bulk(ids["influencers"] + ids["influencees"])
    users = {user.person.pk: user for user in klout_users(list(related.values()))}
    return KloutInfluence(
        [users[pk] for pk in ids["influencers"] if pk in users],
        [users[pk] for pk in ids["influencees"] if pk in users],
    )
