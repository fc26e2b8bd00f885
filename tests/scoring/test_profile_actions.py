"""What signed-in people do on profiles: +K, hiding and reporting topics, opting out."""

import pytest
from django.contrib.messages import get_messages

from marketplace.models import User
from scoring.models import (
    DoNotTrack,
    Endorsement,
    Handle,
    HiddenTopic,
    Person,
    ScoreSnapshot,
    Topic,
    TopicReport,
)
from tests.factories import UserFactory
from tests.scoring.worlds import alice

pytestmark = pytest.mark.django_db


def owned(person, user=None):
    user = user or UserFactory()
    Person.objects.filter(pk=person.pk).update(owner=user)
    return user


def topic(slug):
    return Topic.objects.get(slug=slug)


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def plus_k(client, person, slug):
    return client.post(f"/p/{person.public_id}/plusk/{topic(slug).pk}/", follow=True)


@pytest.fixture
def bob(world):
    return Handle.objects.get(username="bob").person


def test_plus_k_shows_on_the_profile_and_not_twice_a_week(client, world, bob):
    client.force_login(owned(bob))

    first = plus_k(client, alice(), "python")
    again = plus_k(client, alice(), "python")

    assert said(first) == ["You gave Alice Martin +K on Python."]
    assert said(again)[0].startswith("You gave Alice Martin +K on Python recently")
    assert Endorsement.objects.filter(receiver=alice()).count() == 1
    assert 'aria-label="1 +K">+K 1</span>' in again.content.decode()


def test_the_sixth_plus_k_of_the_day_is_refused(client, world, bob):
    client.force_login(owned(bob))
    python = topic("python")
    Endorsement.objects.bulk_create(
        Endorsement(giver=bob, receiver=Person.objects.create(), topic=python) for _ in range(5)
    )

    response = plus_k(client, alice(), "programming")

    assert said(response) == ["You have given your 5 +K for today. You can give more tomorrow."]
    assert Endorsement.objects.count() == 5


def test_plus_k_needs_a_profile_of_ones_own_another_person_and_one_of_their_topics(
    client, world, user
):
    client.force_login(user)
    assert said(plus_k(client, alice(), "python"))[0].startswith("Verify one of your handles")

    owned(alice(), user)
    assert said(plus_k(client, alice(), "python")) == [
        "+K is for other people: you cannot give it to yourself."
    ]

    client.force_login(owned(Handle.objects.get(username="bob").person))
    refused = said(plus_k(client, alice(), "coffee"))
    assert refused == ["Coffee is not one of Alice Martin's topics."]
    assert not Endorsement.objects.exists()


def test_a_hidden_topic_is_gone_publicly_and_can_be_shown_again(client, world):
    person = alice()
    client.force_login(owned(person))
    python = topic("python")

    client.post(f"/me/topics/{python.pk}/", {"hidden": "true"})
    own_page = client.get(f"/p/{person.public_id}/").content.decode()
    client.logout()
    public_page = client.get(f"/p/{person.public_id}/").content.decode()
    search = client.get("/search/", {"q": "Alice"}).content.decode()

    assert '<a class="topic" href="/t/python/">Python</a>' not in public_page
    assert "Python" not in search
    assert "Hidden from your profile" in own_page
    client.force_login(person.__class__.objects.get(pk=person.pk).owner)
    client.post(f"/me/topics/{python.pk}/", {"hidden": "false"})
    assert not HiddenTopic.objects.exists()


def test_anyone_signed_in_can_report_a_topic_to_moderation(client, world, user):
    client.force_login(user)

    response = client.post(
        f"/p/{alice().public_id}/report/{topic('python').pk}/", {"reason": "not a coder"}
    )

    report = TopicReport.objects.get()
    assert (report.reporter, report.person, report.topic.slug, report.reason) == (
        user, alice(), "python", "not a coder",
    )  # fmt: skip
    assert response.status_code == 302
    again = client.post(f"/p/{alice().public_id}/report/{topic('python').pk}/", follow=True)
    assert said(again)[-1] == "Thank you: moderators will look at this topic."
    assert TopicReport.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "reason", "message"),
    [
        ("python", "x" * 501, "Please say what is wrong in at most 500 characters."),
        ("books", "", "Books is not one of Alice Martin's topics."),  # sensitive: not shown
    ],
)
def test_a_report_the_profile_cannot_take_is_refused_with_a_message(
    client, world, user, slug, reason, message
):
    client.force_login(user)

    response = client.post(
        f"/p/{alice().public_id}/report/{topic(slug).pk}/", {"reason": reason}, follow=True
    )

    assert said(response) == [message]
    assert not TopicReport.objects.exists()


def test_opting_out_deletes_the_profile_and_stops_tracking_the_handles(client, world):
    person = alice()
    user = owned(person)
    client.force_login(user)

    unconfirmed = client.post("/settings/opt-out/")
    assert "Tick the box to confirm." in unconfirmed.content.decode()
    assert Person.objects.get(pk=person.pk).opted_out is False

    client.post("/settings/opt-out/", {"confirm": "yes"})

    assert client.get(f"/p/{person.public_id}/").status_code == 404
    assert client.get("/p/twitter/alice/").status_code == 404
    assert DoNotTrack.objects.filter(network="twitter", external_id="1").exists()
    assert not ScoreSnapshot.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert (person.owner, person.score, person.display_name) == (None, None, "")
    assert "Nobody found" in client.get("/search/", {"q": "Alice"}).content.decode()


def test_deleting_the_account_opts_out_first(client, world):
    person = alice()
    user = owned(person)
    client.force_login(user)

    client.post("/settings/delete-account/", {"confirm": "yes"})

    assert not User.objects.filter(pk=user.pk).exists()
    assert Person.objects.get(pk=person.pk).opted_out is True
    assert client.get("/inbox/").status_code == 302  # signed out
