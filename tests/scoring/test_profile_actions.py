"""What signed-in people do on profiles: +K, hiding and reporting topics, opting out."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

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


def test_plus_k_shows_on_the_profile_with_its_giver_and_not_twice_a_week(client, world, bob):
    client.force_login(owned(bob))

    first = plus_k(client, alice(), "python")
    again = plus_k(client, alice(), "python")

    assert said(first) == ["You gave Alice Martin +K on Python. You have 4 +K left today."]
    assert said(again)[0].startswith("You gave Alice Martin +K on Python recently")
    assert Endorsement.objects.filter(receiver=alice()).count() == 1
    page = again.content.decode()
    assert 'aria-label="1 +K">+K 1</span>' in page
    assert f'+K from <a href="/p/{bob.public_id}/">Bob Stone</a>' in page
    assert "You have 4 +K left today." in page
    assert '<span class="tag tag-good">You gave +K</span>' in page
    assert 'Give +K<span class="visually-hidden"> on Python' not in page
    assert 'Give +K<span class="visually-hidden"> on Programming' in page


def test_the_last_plus_k_of_the_day_says_so_and_the_sixth_is_refused(client, world, bob):
    client.force_login(owned(bob))
    python = topic("python")
    Endorsement.objects.bulk_create(
        Endorsement(giver=bob, receiver=Person.objects.create(), topic=python) for _ in range(4)
    )

    fifth = plus_k(client, alice(), "programming")
    sixth = plus_k(client, alice(), "python")

    assert said(fifth) == [
        "You gave Alice Martin +K on Programming. That was your last +K for today."
    ]
    assert said(sixth) == ["You have given your 5 +K for today. You can give more tomorrow."]
    assert Endorsement.objects.count() == 5
    page = sixth.content.decode()
    assert "You have given your 5 +K for today. You can give more tomorrow." in page
    assert "Give +K" not in page


def test_yesterdays_plus_k_count_against_the_week_not_the_day(client, world, bob):
    client.force_login(owned(bob))
    python = topic("python")
    Endorsement.objects.bulk_create(
        Endorsement(giver=bob, receiver=Person.objects.create(), topic=python) for _ in range(5)
    )
    Endorsement.objects.create(giver=bob, receiver=alice(), topic=python)
    yesterday = timezone.now() - timedelta(days=1)
    Endorsement.objects.filter(giver=bob).update(given_at=yesterday)

    page = client.get(f"/p/{alice().public_id}/").content.decode()
    again = said(plus_k(client, alice(), "python"))

    assert "You have 5 +K left today." in page
    assert 'Give +K<span class="visually-hidden"> on Python' not in page
    assert 'Give +K<span class="visually-hidden"> on Programming' in page
    again_on = (yesterday + timedelta(days=7)).date()
    assert again == [
        f"You gave Alice Martin +K on Python recently: you can again from {again_on:%-d %B}."
    ]


def test_plus_k_names_the_latest_givers_who_have_not_opted_out_once_each(client, world, bob):
    person, python = alice(), topic("python")
    givers = [Person.objects.create(display_name=f"Giver {n}") for n in range(4)]
    for giver in [*givers, givers[0]]:  # Giver 0 twice, a week apart
        Endorsement.objects.create(giver=giver, receiver=person, topic=python)
    Person.objects.filter(pk=givers[3].pk).update(opted_out=True)

    page = client.get(f"/p/{person.public_id}/").content.decode()

    assert 'aria-label="5 +K">+K 5</span>' in page
    assert (
        f'+K from <a href="/p/{givers[0].public_id}/">Giver 0</a>, '
        f'<a href="/p/{givers[2].public_id}/">Giver 2</a> and 2 others'
    ) in page
    assert "Giver 3" not in page


def test_only_someone_with_a_profile_of_their_own_is_offered_plus_k(client, world, user):
    person = alice()
    client.force_login(user)
    stranger = client.get(f"/p/{person.public_id}/").content.decode()
    owned(person, user)
    own = client.get(f"/p/{person.public_id}/").content.decode()

    assert '<a href="/verify/">Verify a handle</a> to give +K.' in stranger
    assert "Give +K" not in stranger
    assert "Give +K" not in own
    assert "left today" not in own


@pytest.mark.parametrize(
    "path",
    [
        "/p/nobody%00/plusk/1/",
        "/p/\x07\x1b/plusk/1/",
        "/p/{alice}/plusk/99999999999999999999999/",
        "/p/{alice}/plusk/0/",
        "/p/" + "x" * 5000 + "/plusk/1/",
    ],
)
def test_plus_k_at_a_hostile_address_is_a_clear_refusal(client, world, bob, path):
    client.force_login(owned(bob))

    response = client.post(path.format(alice=alice().public_id))

    assert response.status_code in {400, 404}
    assert not Endorsement.objects.exists()


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
    page = client.get(f"/p/{alice().public_id}/").content.decode()
    assert 'here? <span class="muted">(optional)</span></label>' in page


def test_a_topic_is_reported_again_by_the_same_person_only_once_moderators_settled_it(
    client, world, user
):
    client.force_login(user)
    path = f"/p/{alice().public_id}/report/{topic('python').pk}/"
    first = client.post(path, {"reason": ""}, follow=True)

    again = client.post(path, {"reason": "still wrong"}, follow=True)
    elsewhere = client.post(
        f"/p/{alice().public_id}/report/{topic('programming').pk}/", follow=True
    )
    TopicReport.objects.update(resolved_at=timezone.now())
    settled = client.post(path, {"reason": "wrong once more"}, follow=True)

    assert said(first) == ["Thank you: moderators will look at this topic."]
    assert said(again) == ["You reported this already: moderators will look at it."]
    assert said(elsewhere) == ["Thank you: moderators will look at this topic."]
    assert said(settled) == ["Thank you: moderators will look at this topic."]
    assert list(TopicReport.objects.order_by("pk").values_list("topic__slug", "reason")) == [
        ("python", ""), ("programming", ""), ("python", "wrong once more"),
    ]  # fmt: skip


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
