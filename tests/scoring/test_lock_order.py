"""Scoring's writes take their locks in the order scoring.lock_objects states."""

import pytest
from django.db import connection

from scoring.models import Handle, Person, Topic, TopicReport
from scoring.services.profiles import person_opt_out
from scoring.services.topic_moderation import report_dismiss
from tests.factories import UserFactory
from tests.lock_order import is_locked, waiting_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks"),
]


def test_opting_out_locks_the_handles_before_their_person():
    user = UserFactory(password=None)
    person = Person.objects.create(owner=user)
    handle = Handle.objects.create(person=person, network="mastodon", external_id="1")

    with waiting_for(handle, lambda: person_opt_out(user=user)):
        assert not is_locked(person)

    assert Person.objects.get(pk=person.pk).opted_out


def test_settling_a_report_locks_its_twins_on_the_profile_in_pk_order():
    moderator, *reporters = (UserFactory(password=None) for _ in range(4))
    person = Person.objects.create(owner=reporters.pop())
    topic = Topic.objects.create(slug="gelato", name="Gelato", status="approved")
    first, second = (
        TopicReport.objects.create(reporter=reporter, person=person, topic=topic)
        for reporter in reporters
    )

    with waiting_for(first, lambda: report_dismiss(moderator=moderator, report=second)):
        assert not is_locked(second)

    assert not TopicReport.objects.filter(resolved_at=None).exists()
