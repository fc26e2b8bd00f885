"""What Klout's API v2 reads, in Klout's terms: a person is a "Klout id" (our public id), a
score has a bucket and day, week and month changes, and networks have two-letter names."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case, QuerySet, When
from django.utils import timezone

from scoring.models import Handle, Network, Person, ScoreSnapshot
from scoring.selectors.people import people_with_topics, scored_day, visible_people

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


# The score and its snapshots 1, 7 and 30 days before its day by the same model, in one
# statement of one row: the person by its unique public id, each snapshot by its primary key.
# The day and model as scored_day and _changes read them.
_SCORE_SQL = """
SELECT p.score,
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, %(today)s) - %(dayChange)s
    AND s.model_version = p.score_model),
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, %(today)s) - %(weekChange)s
    AND s.model_version = p.score_model),
  (SELECT s.score FROM scoring_scoresnapshot s WHERE s.person_id = p.id
    AND s.day = coalesce(p.score_day, %(today)s) - %(monthChange)s
    AND s.model_version = p.score_model)
FROM scoring_person p
WHERE p.public_id = %(klout_id)s AND NOT p.opted_out AND p.score IS NOT NULL
"""


def klout_score(*, klout_id: str) -> KloutScore | None:
    """The person's score as /v2/user.json/<id>/score answers it, the partner API's busiest
    call: one statement on PostgreSQL (docs/PERFORMANCE.md, "Partner API"), the ORM's three
    elsewhere."""
    if connection.vendor != "postgresql":
        person = scored_people().filter(public_id=klout_id).first()
        return None if person is None else _score(person, _changes([person])[person.pk])
    params: dict[str, str | int | date] = {
        "klout_id": klout_id,
        "today": timezone.localdate(),
        **CHANGES,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SCORE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    now, *before = row
    changes = {
        name: 0.0 if then is None else round(now - then, 2)
        for name, then in zip(CHANGES, before, strict=True)
    }
    return KloutScore(round(now, 2), bucket(now), changes)


def _score(person: Person, changes: dict[str, float]) -> KloutScore:
    return KloutScore(round(person.score or 0, 2), bucket(person.score or 0), changes)


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
            _score(person, changes[person.pk]),
        )
        for person in people
    ]


def _changes(people: Sequence[Person]) -> dict[int, dict[str, float]]:
    days = {scored_day(p) - timedelta(days=back) for p in people for back in CHANGES.values()}
    version = {p.pk: p.score_model for p in people}
    before: dict[int, dict[date, float]] = {p.pk: {} for p in people}
    for person_id, day, model, score in ScoreSnapshot.objects.filter(
        person__in=people, day__in=days
    ).values_list("person_id", "day", "model_version", "score"):
        if model == version[person_id]:
            before[person_id][day] = score
    return {p.pk: _deltas(p.score or 0.0, scored_day(p), before[p.pk]) for p in people}


def _deltas(now: float, day: date, before: dict[date, float]) -> dict[str, float]:
    """The score now minus the score 1, 7 and 30 days before its day (0 when unknown)."""
    changes = dict.fromkeys(CHANGES, 0.0)
    for name, back in CHANGES.items():
        then = before.get(day - timedelta(days=back))
        if then is not None:
            changes[name] = round(now - then, 2)
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
