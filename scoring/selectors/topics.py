"""What the topic pages read: the index by area and a topic's page, in fixed queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from scoring.models import HiddenTopic, PersonTopic, Topic, TopicStatus, topic_is_public

# How far a merged topic's page follows merges; one query reads them all.
MERGE_HOPS = 3


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    parents: list[Topic]
    children: list[Topic]  # each with `people`, how many its own page ranks
    leaderboard: QuerySet[PersonTopic]  # highest topic score first, to paginate

    @property
    def children_ranked(self) -> bool:
        """Whether a narrower topic ranks anyone: a broad area's people are there."""
        return any(getattr(child, "people", 0) for child in self.children)


def public_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(topic_is_public())


def topic_areas() -> list[Topic]:
    """The broad areas by name, each with its public children (`area.children.all`, by
    name) prefetched: two queries."""
    children = Prefetch("children", queryset=public_topics().order_by("name"))
    return list(public_topics().filter(is_area=True).order_by("name").prefetch_related(children))


def public_topic(*, slug: str) -> Topic | None:
    """The public topic a slug leads to, after following merges; None when there is none.
    The caller tells a merged topic by the slug of the one returned."""
    topic = (
        Topic.objects.select_related("__".join(["merged_into"] * MERGE_HOPS))
        .filter(slug=slug)
        .first()
    )
    for _ in range(MERGE_HOPS):
        if topic is None or topic.status != TopicStatus.MERGED:
            break
        topic = topic.merged_into
    return topic if topic is not None and topic.is_public else None


def _ranked_on(topic: Topic | OuterRef) -> QuerySet[PersonTopic]:
    """The people a topic's page ranks: those hiding the topic or opted out are left out."""
    hidden = HiddenTopic.objects.filter(person=OuterRef("person"), topic=OuterRef("topic"))
    # visible_people()'s rule, on the join select_related makes anyway
    return PersonTopic.objects.filter(topic=topic, person__opted_out=False).filter(~Exists(hidden))


def topic_page(*, topic: Topic) -> TopicPage:
    """Its public parents and children, each child with how many people it ranks (two
    queries), and its leaderboard (a count and a page when paginated)."""
    people = _ranked_on(OuterRef("pk")).values("topic").annotate(n=Count("person")).values("n")
    leaderboard = (
        _ranked_on(topic)
        .select_related("person")
        .only("score", "person__public_id", "person__display_name", "person__score")
        .order_by("-score", "person_id")
    )
    return TopicPage(
        topic=topic,
        parents=list(public_topics().filter(children=topic).order_by("name")),
        children=list(
            public_topics()
            .filter(parents=topic)
            .annotate(people=Coalesce(Subquery(people), 0))
            .order_by("name")
        ),
        leaderboard=leaderboard,
    )
