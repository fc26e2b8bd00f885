"""Who is influential about a topic staff just approved, edited or merged into, found at once
rather than by the next nightly run: the posts of the window are matched again, the latest
live day is scored again with their new topics, and the moderator is told in their inbox."""

from datetime import datetime, timedelta

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from marketplace.models import NotificationKind, User
from marketplace.notifications import notification_send
from scoring import pipeline
from scoring.engine.versions import LIVE, MODELS
from scoring.models import Person, PersonTopic, Topic
from scoring.services.people import posts_match_topics


def topics_match_and_score(*, topic_ids: list[int], moderator_id: int | None) -> int:
    """Returns how many topics the posts gained."""
    since = timezone.now() - timedelta(days=MODELS[LIVE].window_days)
    added = posts_match_topics(since=since, topics=topic_ids)[1]
    day = Person.objects.aggregate(day=Max("score_day"))["day"]
    if added and day is not None:
        pipeline.run(as_of=day, params=MODELS[LIVE], live=True)
    moderator = User.objects.filter(pk=moderator_id or 0, is_staff=True).first()
    if moderator is not None:
        for topic in Topic.objects.filter(pk__in=topic_ids):
            _tell(moderator, topic, since=since, scored=day is not None)
    return added


def _tell(moderator: User, topic: Topic, *, since: datetime, scored: bool) -> None:
    posts = topic.posts.filter(published_at__gte=since).count()
    people = PersonTopic.objects.filter(topic=topic, person__opted_out=False).count()
    found = (
        f"{people} {'person is' if people == 1 else 'people are'} influential about it now."
        if scored
        else "Nobody has been scored yet: its people show after the first scoring run."
    )
    notification_send(
        user=moderator,
        kind=NotificationKind.MODERATION,
        subject=f"{topic.name} is matched",
        body=f"{posts} {'post' if posts == 1 else 'posts'} of the last "
        f"{MODELS[LIVE].window_days:.0f} days {'is' if posts == 1 else 'are'} about "
        f"{topic.name}. {found}",
        url=reverse("scoring:topic", args=[topic.slug]),
    )
