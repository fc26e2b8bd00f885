from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Notification, NotificationKind
from scoring.engine.versions import LIVE
from scoring.models import Person, ScoreSnapshot
from scoring.tasks import weekly_summaries_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def owned_person(score, week_ago=None, **user_options):
    person = Person.objects.create(owner=UserFactory(**user_options), score=score)
    if week_ago is not None:
        ScoreSnapshot.objects.create(
            person=person, day=timezone.now().date() - timedelta(days=7), model_version=LIVE,
            score=week_ago,
            reach=0, amplification=0, network=0, percentile=0,
        )  # fmt: skip
    return person


def test_owners_hear_their_score_and_its_move_once_a_week(django_capture_on_commit_callbacks):
    rising = owned_person(48.4, week_ago=41.0)
    new = owned_person(20.0)
    quiet = owned_person(30.0, week_ago=35.0, email_weekly_summary=False)
    Person.objects.create(score=90.0)  # nobody's: no one to tell

    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_summaries_task.delay().get() == 3
        assert weekly_summaries_task.delay().get() == 0  # the same week: nothing twice

    bodies = dict(Notification.objects.values_list("user__email", "body"))
    assert bodies[rising.owner.email] == (
        "Your score is 48, up 7 since last week. Your profile says why it moved."
    )
    assert bodies[new.owner.email] == "Your score is 20. Next week we can tell you how it moved."
    assert bodies[quiet.owner.email].startswith("Your score is 30, down 5 since last week.")
    assert Notification.objects.filter(kind=NotificationKind.WEEKLY_SUMMARY).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rising.owner.email, new.owner.email])
