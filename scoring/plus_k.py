"""+K's limits, read in one place: at most five a day, and once a week for a person and topic.
A profile reads them to offer +K only to who may give it; the service checks them when it is
given (scoring.services.profiles.endorsement_give)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from marketplace.models import User
from scoring.models import Endorsement, Person
from scoring.selectors.people import visible_people

ENDORSEMENTS_A_DAY = 5
ENDORSEMENT_REPEAT_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class PlusK:
    """What one person may give another in +K now."""

    left_today: int
    again_from: dict[int, datetime]  # topic pk → when +K on it may go to them again

    @property
    def a_day(self) -> int:
        return ENDORSEMENTS_A_DAY


def plus_k_between(*, giver: Person, receiver: Person) -> PlusK:
    """One query of the giver's +K of the last week: a few dozen rows at most, by the daily
    limit."""
    now = timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = Endorsement.objects.filter(giver=giver, given_at__gt=now - ENDORSEMENT_REPEAT_AFTER)
    given_today = 0
    again_from: dict[int, datetime] = {}
    for receiver_id, topic_id, given_at in week.values_list("receiver_id", "topic_id", "given_at"):
        given_today += given_at >= today
        if receiver_id == receiver.pk:
            again = given_at + ENDORSEMENT_REPEAT_AFTER
            again_from[topic_id] = max(again, again_from.get(topic_id, again))
    return PlusK(max(ENDORSEMENTS_A_DAY - given_today, 0), again_from)


def plus_k_of(*, user: User, receiver: Person) -> PlusK | None:
    """What the user may give the receiver; None when they have no profile of their own to
    give from. Two queries."""
    giver = visible_people().filter(owner=user).only("pk").first()
    if giver is None:
        return None
    return plus_k_between(giver=giver, receiver=receiver)
