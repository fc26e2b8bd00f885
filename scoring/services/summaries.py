"""The weekly score summary: each owner of a profile hears their score and its week's move
(the notification is e-mailed only to those whose preferences ask for it)."""

from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Notification, NotificationKind, User
from marketplace.notifications import notification_send
from scoring.engine.versions import LIVE
from scoring.models import Person, ScoreSnapshot

WEEK = timedelta(days=7)


@transaction.atomic
def weekly_summaries_send(*, today: date) -> int:
    """Send the week's summaries not sent yet (a second run in the same week sends none).
    Returns how many were sent."""
    owners = Person.objects.filter(owner__isnull=False, opted_out=False, score__isnull=False)
    told = Notification.objects.filter(  # this week (a run an hour late last week still counts)
        kind=NotificationKind.WEEKLY_SUMMARY,
        created_at__gt=timezone.now() - WEEK + timedelta(hours=1),
    ).values("user_id")
    people = list(owners.exclude(owner__in=told).select_related("owner"))
    week_ago = dict(
        ScoreSnapshot.objects.filter(
            person__in=people, day=today - WEEK, model_version=LIVE
        ).values_list("person_id", "score")
    )
    for person in people:
        score = cast(float, person.score)  # the filter above: owned and scored
        notification_send(
            user=cast(User, person.owner),
            kind=NotificationKind.WEEKLY_SUMMARY,
            subject=f"Your Sway score this week: {score:.0f}",
            body=_move(score, week_ago.get(person.pk)),
            url=reverse("scoring:profile", kwargs={"public_id": person.public_id}),
        )
    return len(people)


def _move(score: float, before: float | None) -> str:
    if before is None:
        return f"Your score is {score:.0f}. Next week we can tell you how it moved."
    change = score - before
    if abs(change) < 0.5:
        return f"Your score held at {score:.0f} this week."
    direction = "up" if change > 0 else "down"
    return (
        f"Your score is {score:.0f}, {direction} {abs(change):.0f} since last week. "
        "Your profile says why it moved."
    )
