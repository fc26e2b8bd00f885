"""What a topic picker offers: public topics whose name or an alias starts with what was typed
(or, on PostgreSQL, nearly matches it), an area's topics, and the chosen ones, each with its
broad area. Two queries whatever the taxonomy's size, the topics then their areas; a search
that finds nothing by its start asks once more for close names."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, TextField, When
from django.db.models.functions import Cast, Length

from scoring.models import PUBLIC_TOPIC_SQL, Topic
from scoring.selectors.topics import public_topics

FOUND = 20  # the picker lists this many at most
LONGEST_SEARCH = 100
# How near a word of a name must be to what was typed ("surfng" finds Surfing), for what is
# between so many characters long (a long text would compare slowly, and is no typo).
CLOSE, FUZZY = 0.45, range(3, 31)
# The ontology's deepest topic sits 7 steps below its area; the walk up stops a little past.
AREA_STEPS = 10


@dataclass(frozen=True)
class TopicChoice:
    pk: int
    name: str
    area: str  # its nearest broad area's name; "" for an area itself

    @property
    def label(self) -> str:
        return f"{self.name} — {self.area}" if self.area else self.name


def topics_found(*, text: str, limit: int = FOUND) -> list[TopicChoice]:
    """The public topics `text` names, best first: the name itself, names starting with it,
    names with a word starting with it, then aliases starting with it. When none does, on
    PostgreSQL, names with a word close to it, as a typo leaves it ("surfng")."""
    text = text.strip()[:LONGEST_SEARCH]
    if not text:
        return []
    starts = Q(name__istartswith=text)
    word_starts = Q(name__icontains=f" {text}")
    # Aliases are a JSON list of strings: as text, each starts after a quote.
    alias_starts = Q(alias_text__icontains=f'"{text}') | Q(alias_text__icontains=f" {text}")
    rank = Case(
        When(name__iexact=text, then=0),
        When(starts, then=1),
        When(word_starts, then=2),
        default=3,
        output_field=IntegerField(),
    )
    topics = (
        public_topics()
        .annotate(alias_text=Cast("aliases", TextField()))
        .filter(starts | word_starts | alias_starts)
        .annotate(rank=rank)
        .order_by("rank", Length("name"), "name", "pk")
    )
    found = _with_areas(topics[:limit])
    if found or connection.vendor != "postgresql" or len(text) not in FUZZY:
        return found
    closeness = TrigramWordSimilarity(text, "name")
    close = public_topics().annotate(closeness=closeness).filter(closeness__gte=CLOSE)
    return _with_areas(close.order_by("-closeness", Length("name"), "name", "pk")[:limit])


def topics_of_area(*, area_id: int, limit: int = FOUND * 10) -> list[TopicChoice]:
    """The public topics right under a public area, by name."""
    area = public_topics().filter(pk=area_id, is_area=True)
    return _with_areas(public_topics().filter(parents__in=area).order_by("name", "pk")[:limit])


def topic_choices(*, pks: Collection[int]) -> list[TopicChoice]:
    """The chosen topics that are public, in the order given."""
    found = {choice.pk: choice for choice in _with_areas(public_topics().filter(pk__in=pks))}
    return [found[pk] for pk in dict.fromkeys(pks) if pk in found]


def areas() -> QuerySet[Topic]:
    """The broad areas a picker browses, by name."""
    return public_topics().filter(is_area=True).order_by("name").only("pk", "name")


def _with_areas(topics: QuerySet[Topic]) -> list[TopicChoice]:
    rows = list(topics.values_list("pk", "name", "is_area"))
    area_of = _nearest_areas(pk for pk, _, is_area in rows if not is_area)
    return [TopicChoice(pk, name, area_of.get(pk, "")) for pk, name, _ in rows]


def _nearest_areas(pks: Iterable[int]) -> dict[int, str]:
    """Each topic's nearest public area (the first by name among equally near ones), by one
    recursive walk up the parents."""
    pks = list(pks)
    if not pks:
        return {}
    parents = Topic.parents.through._meta.db_table
    topic = Topic._meta.db_table
    marks = ", ".join(["%s"] * len(pks))
    sql = f"""
        WITH RECURSIVE up (topic_id, ancestor_id, depth) AS (
            SELECT from_topic_id, to_topic_id, 1 FROM {parents} WHERE from_topic_id IN ({marks})
            UNION
            SELECT up.topic_id, p.to_topic_id, up.depth + 1
            FROM up JOIN {parents} p ON p.from_topic_id = up.ancestor_id
            WHERE up.depth < %s
        )
        SELECT up.topic_id, a.name FROM up JOIN {topic} a ON a.id = up.ancestor_id
        WHERE a.is_area AND {PUBLIC_TOPIC_SQL.format(t="a")}
        ORDER BY up.topic_id, up.depth, a.name
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pks, AREA_STEPS])
        found: dict[int, str] = {}
        for pk, name in cursor.fetchall():
            found.setdefault(pk, name)
    return found
