"""What a profile page shows about a person. The page is the site's busiest, so on PostgreSQL
it is read in one statement (docs/PERFORMANCE.md, "Profile pages"); elsewhere by the ORM, in
seven queries. A test holds the two equal."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from weakref import WeakSet

import orjson
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from scoring.models import (
    PUBLIC_TOPIC_SQL,
    Endorsement,
    Handle,
    HiddenTopic,
    Person,
    ScoreSnapshot,
    Topic,
)
from scoring.score_parts import score_parts
from scoring.selectors.people import TOPICS_SHOWN, people_with_topics, scored_day, visible_people

HISTORY_DAYS = 90
ENDORSERS_NAMED = 2  # "+K from Bob Stone, Ada Lovelace and 3 others"


@dataclass(frozen=True)
class Related:
    """Another person as a profile names them: an influencer or an influencee."""

    public_id: str
    name: str
    score: float | None
    weight: float


@dataclass(frozen=True)
class Endorser:
    """Someone who gave +K, as a profile names them."""

    public_id: str
    name: str


@dataclass(frozen=True)
class ProfileTopic:
    topic: Topic
    score: float  # 1–100
    endorsements: int  # +K received on it
    endorsers: list[Endorser]  # the latest givers who have not opted out, ENDORSERS_NAMED at most
    others: int  # the other people who gave it


@dataclass(frozen=True)
class ScorePart:
    """One of the parts of a score (scoring.score_parts): the model's figure, and the share of
    the people scored that day whose figure is lower (0–100; None until a daily run has ranked
    it)."""

    figure: float
    percentile: float | None


@dataclass(frozen=True)
class Profile:
    person: Person
    details: dict[str, Any]  # the latest score explained (ScoreDetails.data)
    handles: list[Handle]  # by network and username
    history: list[tuple[date, float]]  # oldest first
    topics: list[ProfileTopic]  # the highest topic score first
    hidden_topics: list[Topic]  # shown to the person alone, to show them again
    influencers: list[Related]
    influencees: list[Related]

    @property
    def day(self) -> date:
        """The day of the latest score (today for someone not scored yet)."""
        return scored_day(self.person)

    @property
    def day_before(self) -> date:
        """The day the reasons compare the latest score with."""
        return self.day - timedelta(days=1)

    @property
    def first_day(self) -> bool:
        """Whether the history holds no day before the latest: nothing to compare with."""
        return all(day >= self.day for day, _ in self.history)

    @property
    def day_before_scored(self) -> bool:
        return any(day == self.day_before for day, _ in self.history)

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return list(self.details.get("reasons", []))

    @property
    def parts(self) -> dict[str, ScorePart]:
        """Reach, amplification and network by name, and persistence when the model that made
        the score counts it; none before the first score."""
        ranked = self.details.get("percentiles", {})
        return {
            name: ScorePart(self.details[name], ranked.get(name))
            for name in score_parts(self.details.get("model", ""))
            if name in self.details
        }

    @property
    def is_claimed(self) -> bool:
        return self.person.owner_id is not None


@dataclass(frozen=True)
class ProfileRow:
    """A profile as the database returned it, parsed on demand. Two reads with equal `content`
    make the same page (marketplace.shared_pages); None where the ORM reads it in parts."""

    content: bytes | None
    parse: Callable[[], Profile]


def person_profile(*, public_id: str) -> Profile | None:
    """None for an opted-out or unknown person."""
    row = profile_row(public_id=public_id)
    return None if row is None else row.parse()


def profile_row(*, public_id: str) -> ProfileRow | None:
    """None for an opted-out or unknown person."""
    if connection.vendor == "postgresql":
        return _row_postgres(public_id)
    found = _profile_orm(public_id)
    return None if found is None else ProfileRow(None, lambda: found)


def _profile_orm(public_id: str) -> Profile | None:
    person = visible_people().filter(public_id=public_id).select_related("details").first()
    if person is None:
        return None
    details = person.score_details
    since = scored_day(person) - timedelta(days=HISTORY_DAYS)
    history = ScoreSnapshot.objects.filter(
        person=person, day__gt=since, model_version=person.score_model
    ).order_by("day")
    pairs = details.get("influencers", []) + details.get("influencees", [])
    related = visible_people().filter(pk__in=[pk for pk, _ in pairs])
    hidden = HiddenTopic.objects.filter(person=person).select_related("topic").order_by("pk")
    hidden_topics = [h.topic for h in hidden]
    shown = people_with_topics([person], {person.pk: {topic.pk for topic in hidden_topics}})[0][1]
    return _profile(
        person,
        details,
        handles=list(person.handles.order_by("network", "username")),
        history=list(history.values_list("day", "score")),
        topics=[
            (topic, score, n, givers, named)
            for (topic, score), (n, givers, named) in zip(
                shown, _endorsements(person, [t for t, _ in shown]), strict=True
            )
        ],
        hidden_topics=hidden_topics,
        related=related.values_list("pk", "public_id", "display_name", "score"),
    )


# A topic's +K: how many, from how many people, and the latest of them who did not opt out,
# named (public id, name).
Endorsements = tuple[int, int, list[tuple[str, str]]]


def _endorsements(person: Person, topics: list[Topic]) -> list[Endorsements]:
    if not topics:
        return []
    givers: defaultdict[int, list[tuple[int, str, str, bool]]] = defaultdict(list)
    giver_columns = ("giver__public_id", "giver__display_name", "giver__opted_out")
    for topic_id, given, public_id, name, opted_out in (
        Endorsement.objects.filter(receiver=person, topic__in=topics)
        .values("topic", "giver", *giver_columns)
        .annotate(given=Count("pk"), last=Max("given_at"))
        .order_by("topic", "-last", "giver")
        .values_list("topic", "given", *giver_columns)
    ):
        givers[topic_id].append((given, public_id, name, opted_out))
    return [
        (
            sum(given for given, *_ in rows),
            len(rows),
            [(public_id, name) for _, public_id, name, out in rows if not out][:ENDORSERS_NAMED],
        )
        for rows in (givers[topic.pk] for topic in topics)
    ]


# Each part of the page as a JSON array, ordered as _profile_orm orders it: the topics shown
# (approved, not sensitive, not hidden) with their +K (_endorsements), and the related people
# named in the details who have not opted out. $1 is the public id, $2 today. Prepared once on
# each connection: planning it took longer than running it.
_PROFILE_SQL = f"""
PREPARE person_profile (text, date) AS
SELECT p.id, p.public_id, p.owner_id, p.display_name, p.place, p.country, p.score,
  p.score_day, p.percentile, p.score_model, coalesce(d.data, '{{}}')::text,
  (SELECT coalesce(json_agg(json_build_array(h.id, h.network, h.external_id, h.username,
      h.display_name, h.profile_url, h.verification) ORDER BY h.network, h.username), '[]')
    FROM scoring_handle h WHERE h.person_id = p.id)::text,
  (SELECT coalesce(json_agg(json_build_array(s.day, s.score) ORDER BY s.day), '[]')
    FROM scoring_scoresnapshot s WHERE s.person_id = p.id AND s.model_version = p.score_model
      AND s.day > coalesce(p.score_day, $2) - {HISTORY_DAYS})::text,
  (SELECT coalesce(json_agg(json_build_array(shown.id, shown.slug, shown.name, shown.score,
      (SELECT count(*) FROM scoring_endorsement e
        WHERE e.receiver_id = p.id AND e.topic_id = shown.id),
      (SELECT count(DISTINCT e.giver_id) FROM scoring_endorsement e
        WHERE e.receiver_id = p.id AND e.topic_id = shown.id),
      (SELECT coalesce(json_agg(json_build_array(g.public_id, g.display_name)
          ORDER BY g.last DESC, g.id), '[]')
        FROM (SELECT r.id, r.public_id, r.display_name, max(e.given_at) AS last
          FROM scoring_endorsement e JOIN scoring_person r ON r.id = e.giver_id AND NOT r.opted_out
          WHERE e.receiver_id = p.id AND e.topic_id = shown.id
          GROUP BY r.id ORDER BY last DESC, r.id LIMIT {ENDORSERS_NAMED}) g))
      ORDER BY shown.score DESC, shown.id), '[]')
    FROM (SELECT t.id, t.slug, t.name, pt.score
      FROM scoring_persontopic pt JOIN scoring_topic t ON t.id = pt.topic_id
      WHERE pt.person_id = p.id AND {PUBLIC_TOPIC_SQL.format(t="t")}
        AND NOT EXISTS (SELECT FROM scoring_hiddentopic x
          WHERE x.person_id = p.id AND x.topic_id = t.id)
      ORDER BY pt.score DESC, t.id LIMIT {TOPICS_SHOWN}) shown)::text,
  (SELECT coalesce(json_agg(json_build_array(t.id, t.slug, t.name) ORDER BY x.id), '[]')
    FROM scoring_hiddentopic x JOIN scoring_topic t ON t.id = x.topic_id
    WHERE x.person_id = p.id)::text,
  (SELECT coalesce(json_agg(json_build_array(r.id, r.public_id, r.display_name, r.score)), '[]')
    FROM jsonb_array_elements(coalesce(d.data->'influencers', '[]')
      || coalesce(d.data->'influencees', '[]')) pair
    JOIN scoring_person r ON r.id = (pair->>0)::bigint AND NOT r.opted_out)::text
FROM scoring_person p LEFT JOIN scoring_scoredetails d ON d.person_id = p.id
WHERE p.public_id = $1 AND NOT p.opted_out
"""  # noqa: S608 (code constants, no input)
_prepared: WeakSet[Any] = WeakSet()  # the database connections that have it


def _row_postgres(public_id: str) -> ProfileRow | None:
    today = timezone.localdate()  # the history's end for someone not scored yet
    with connection.cursor() as cursor:
        if connection.connection not in _prepared:
            cursor.execute(_PROFILE_SQL)
            _prepared.add(connection.connection)
        cursor.execute("EXECUTE person_profile (%s, %s)", [public_id, today])
        row = cursor.fetchone()
    if row is None:
        return None
    return ProfileRow(f"{today}{row!r}".encode(), lambda: _profile_postgres(row))


def _profile_postgres(row: tuple[Any, ...]) -> Profile:
    pk, public_id, owner_id, name, place, country, score, day, percentile, model, *parts = row
    details, handles, history, topics, hidden, related = map(orjson.loads, parts)
    person = Person(
        id=pk,
        public_id=public_id,
        owner_id=owner_id,
        display_name=name,
        place=place,
        country=country,
        score=score,
        score_day=day,
        percentile=percentile,
        score_model=model,
    )
    return _profile(
        person,
        details,
        handles=[_handle(person, columns) for columns in handles],
        history=[(date.fromisoformat(day), score) for day, score in history],
        topics=[
            (Topic(id=t, slug=slug, name=name), score, n, givers, named)
            for t, slug, name, score, n, givers, named in topics
        ],
        hidden_topics=[Topic(id=t, slug=slug, name=name) for t, slug, name in hidden],
        related=related,
    )


def _handle(person: Person, columns: list[Any]) -> Handle:
    pk, network, external_id, username, display_name, profile_url, verification = columns
    return Handle(
        id=pk,
        person=person,
        network=network,
        external_id=external_id,
        username=username,
        display_name=display_name,
        profile_url=profile_url,
        verification=verification,
    )


def _profile(
    person: Person,
    details: dict[str, Any],
    *,
    handles: list[Handle],
    history: list[tuple[date, float]],
    topics: list[tuple[Topic, float, int, int, Sequence[Sequence[str]]]],  # topic, score, +K
    hidden_topics: list[Topic],
    related: Iterable[Sequence[Any]],  # (pk, public id, name, score) of those not opted out
) -> Profile:
    found = {pk: (public_id, name or public_id, score) for pk, public_id, name, score in related}

    def named(pairs: list[tuple[int, float]]) -> list[Related]:
        return [Related(*found[pk], weight) for pk, weight in pairs if pk in found]

    return Profile(
        person=person,
        details=details,
        handles=handles,
        history=history,
        topics=[
            ProfileTopic(
                topic,
                score,
                endorsements,
                [Endorser(public_id, name or public_id) for public_id, name in named],
                givers - len(named),
            )
            for topic, score, endorsements, givers, named in topics
        ],
        hidden_topics=hidden_topics,
        influencers=named(details.get("influencers", [])),
        influencees=named(details.get("influencees", [])),
    )
