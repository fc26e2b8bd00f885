"""The audience a target takes in now, as the live estimate panel shows it while the brand
types: how many people and how many of them can be told, how their scores spread, the topics
and countries most among them, a few of them, and, when they are few, what each filter left.

It must answer within 100 ms on a million people (docs/PERFORMANCE.md, "The live estimate"),
in at most six statements whatever the data: the people of the band and topics are read once,
up to EXACT of them, each marked whether the places take them in (then the target's own when
there were more); an audience larger than EXACT is counted exactly and its spread read from a
sample of about SAMPLE of its people (scoring's people_sampled); the topics come from up to
TOPICS_READ of the people read, and the examples are the highest scored of them; a small
audience's band is counted to say what each filter left."""

import bisect
import math
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value

from campaigns.places import country_name
from campaigns.selectors.targeting import Target, targeted_people
from scoring.selectors.people import visible_people
from scoring.selectors.score_text import whole_score
from scoring.selectors.targeting import in_places, people_sampled, topics_among

EXACT = 2_500  # up to this many people, the panel reads every one
SAMPLE = 1_000  # about how many people of a larger audience it reads…
MOST_SAMPLED = 10.0  # …from at most this percentage of the table's pages
TOPICS_READ = 250  # whose topics it reads, spread evenly over those it read
BINS = 10
TOP = 5
EXAMPLES = 3
SMALL = 50  # fewer people than this, and the panel says which filter left how many
HIGHEST_SCORE = 100
FIELDS = ("pk", "score", "owner_id", "country")

Row = tuple[int, float, int | None, str]  # FIELDS


@dataclass(frozen=True)
class Share:
    """A score band, topic or country, and its share of the audience (of its sample)."""

    label: str
    people: int  # of the people read
    percent: int
    slug: str = ""  # a topic's, for its page


@dataclass(frozen=True)
class Example:
    public_id: str
    name: str
    score: float


@dataclass(frozen=True)
class Narrowing:
    """One filter of the target, in turn: it leaves `left` of the `of` people before it."""

    filter: str
    left: int
    of: int | None  # None: the first, the score band, which starts from everyone


@dataclass(frozen=True)
class Audience:
    people: int  # in the target now
    reachable: int  # of them, with a Sway account: told and able to claim
    sampled: int | None  # how many people the shares come from, when not from all of them
    topics_read: int  # how many of those the topics' shares come from
    bins: tuple[Share, ...]  # from the lowest score up
    topics: tuple[Share, ...]
    countries: tuple[Share, ...]
    examples: tuple[Example, ...]
    narrowing: tuple[Narrowing, ...]  # only when the audience is small and filtered

    @property
    def tallest(self) -> int:
        return max((b.people for b in self.bins), default=0)


def audience(*, target: Target) -> Audience:
    read = _read(target)
    rows = read.rows
    spread = rows[:: max(1, math.ceil(len(rows) / TOPICS_READ))]  # up to TOPICS_READ, evenly
    narrowed = target.topic_ids or target.countries or target.cities
    return Audience(
        people=read.total,
        reachable=read.reachable,
        sampled=read.sampled,
        bins=_bins(target, rows),
        topics=_topics(spread),
        topics_read=len(spread),
        countries=_countries(rows),
        examples=_examples(rows),
        narrowing=_narrowing(target, read) if narrowed and read.total < SMALL else (),
    )


@dataclass(frozen=True)
class _Read:
    rows: list[Row]  # all the target's people, or a sample of them
    total: int
    reachable: int
    sampled: int | None  # len(rows), when a sample
    before_places: int | None  # the band and topics' people, when known


def _read(target: Target) -> _Read:
    """The people the panel reads. First the band and topics' people, each marked whether the
    places take them in: up to EXACT of them are all of the target, and how many the places
    chose from; beyond, the target's own, counted and sampled when they too are more."""
    people = targeted_people(target)
    places = bool(target.countries or target.cities)
    placed = ExpressionWrapper(in_places(target.countries, target.cities), BooleanField())
    unplaced = targeted_people(replace(target, countries=(), cities=()))
    marked = list(
        unplaced.annotate(placed=placed if places else Value(True)).values_list(*FIELDS, "placed")[
            : EXACT + 1
        ]
    )
    before_places = len(marked) if len(marked) <= EXACT else None
    rows: list[Row] = [row[:4] for row in marked if row[4]]
    if before_places is None and places:
        rows = list(people.values_list(*FIELDS)[: EXACT + 1])
    if len(rows) <= EXACT:
        reachable = sum(1 for row in rows if row[2] is not None)
        return _Read(rows, len(rows), reachable, None, before_places)
    counts = people.aggregate(
        people=Count("pk"), reachable=Count("pk", filter=Q(owner__isnull=False))
    )
    total = counts["people"]
    percent = min(MOST_SAMPLED, 100 * SAMPLE / total)
    sample = people_sampled(people, percent=percent, fields=FIELDS)
    return _Read(sample, total, counts["reachable"], len(sample), before_places)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _bins(target: Target, rows: list[Row]) -> tuple[Share, ...]:
    """Up to BINS bands of whole scores, as even as whole numbers allow, over the target's."""
    low, high = target.min_score, target.max_score or HIGHEST_SCORE
    span = max(high - low + 1, 1)
    starts = [low + span * i // min(BINS, span) for i in range(min(BINS, span) + 1)]
    counts = Counter(bisect.bisect_right(starts, whole_score(row[1])) - 1 for row in rows)
    return tuple(
        Share(
            f"{start}" if start == end - 1 else f"{start}–{end - 1}",
            counts[i],
            _percent(counts[i], len(rows)),
        )
        for i, (start, end) in enumerate(pairwise(starts))
    )


def _topics(read: list[Row]) -> tuple[Share, ...]:
    """The top topics of the people read (an even spread of those the panel read)."""
    if not read:
        return ()
    held = topics_among([row[0] for row in read], limit=TOP)
    return tuple(Share(t.name, t.people, _percent(t.people, len(read)), t.slug) for t in held)


def _examples(rows: list[Row]) -> tuple[Example, ...]:
    """The highest scored of the people read, as their profiles name them."""
    top = [row[0] for row in sorted(rows, key=lambda row: (-row[1], row[0]))[:EXAMPLES]]
    if not top:
        return ()
    people = visible_people().filter(pk__in=top).only("public_id", "display_name", "score")
    return tuple(
        Example(person.public_id, str(person), person.score or 0.0)
        for person in people.order_by("-score", "pk")
    )


def _countries(rows: list[Row]) -> tuple[Share, ...]:
    counts = Counter(row[3] for row in rows if row[3])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return tuple(
        Share(country_name(code), people, _percent(people, len(rows))) for code, people in ranked
    )


def _narrowing(target: Target, read: _Read) -> tuple[Narrowing, ...]:
    """What the score band takes in, then what the topics and the places leave of it, up to
    the first that leaves nobody."""
    band = targeted_people(Target(target.min_score, target.max_score)).count()
    steps = [Narrowing("score band", band, None)]
    places = target.countries or target.cities
    if target.topic_ids and band:
        about = read.total if not places else read.before_places
        if about is None:  # more than the panel read before the places
            about = targeted_people(replace(target, countries=(), cities=())).count()
        steps.append(Narrowing("topic", about, band))
    if places and steps[-1].left:
        steps.append(Narrowing(_place_filter(target), read.total, steps[-1].left))
    return tuple(steps)


def _place_filter(target: Target) -> str:
    if target.countries and target.cities:
        return "country and city"
    return "country" if target.countries else "city"
