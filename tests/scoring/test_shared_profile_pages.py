"""Anonymous visitors share one rendering of a profile for as long as what it shows is unchanged
(marketplace.shared_pages); signed-in people, and anyone with a message waiting, get their own."""

import pytest
from django.db import connection

from scoring.models import Endorsement, Handle, HiddenTopic, Person, Topic
from tests.factories import UserFactory
from tests.scoring.worlds import alice

# Only PostgreSQL's one-statement reading names a page's content; elsewhere every page is
# rendered (tests/marketplace/test_shared_pages.py).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL names the content"),
]


def visit(client, person):
    response = client.get(f"/p/{person.public_id}/")
    assert response.status_code == 200
    return response


def rendered(response):
    return bool(response.templates)


def test_anonymous_visitors_share_a_rendering_with_nothing_of_anyone_in_it(client, world):
    person = alice()

    first, second = visit(client, person), visit(client, person)

    assert rendered(first)
    assert not rendered(second)
    assert second.content == first.content
    assert b"csrf" not in first.content.lower()
    assert "csrftoken" not in client.cookies


def bob_stone_opts_out(person):
    Person.objects.filter(display_name="Bob Stone").update(opted_out=True)


def python_renamed(person):
    Topic.objects.filter(slug="python").update(name="Python, the language")


def python_sensitive(person):
    Topic.objects.filter(slug="python").update(is_sensitive=True)


def python_hidden(person):
    HiddenTopic.objects.create(person=person, topic=Topic.objects.get(slug="python"))


def plus_k_on_python(person):
    giver = Person.objects.create(display_name="Giver")
    Endorsement.objects.create(giver=giver, receiver=person, topic=Topic.objects.get(slug="python"))


def mastodon_connected(person):
    Handle.objects.create(person=person, network="mastodon", external_id="9", username="al@m.ex")


def score_changed(person):
    Person.objects.filter(pk=person.pk).update(score=77.4)


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (bob_stone_opts_out, lambda body: "Bob Stone" not in body),
        (python_renamed, lambda body: "Python, the language" in body),
        (python_sensitive, lambda body: "/t/python/" not in body),
        (python_hidden, lambda body: "/t/python/" not in body),
        (plus_k_on_python, lambda body: 'aria-label="1 +K"' in body),
        (mastodon_connected, lambda body: "al@m.ex" in body),
        (score_changed, lambda body: 'aria-label="Sway score">77</p>' in body),
    ],
)
def test_a_change_to_what_a_profile_shows_is_seen_at_once(client, world, change, shown):
    person = alice()
    before = visit(client, person).content.decode()
    assert not shown(before)

    change(person)
    after = visit(client, person)

    assert rendered(after)
    assert shown(after.content.decode())


def test_signed_in_people_get_a_page_of_their_own(client, world):
    person = alice()
    owner = UserFactory()
    Person.objects.filter(pk=person.pk).update(owner=owner)
    visit(client, person)

    client.force_login(owner)
    own = visit(client, person)
    client.force_login(UserFactory())
    newcomer = visit(client, person)
    bob = Handle.objects.get(username="bob").person
    Person.objects.filter(pk=bob.pk).update(owner=UserFactory())
    client.force_login(Person.objects.get(pk=bob.pk).owner)
    other = visit(client, person)
    client.logout()
    anonymous = visit(client, person)

    assert rendered(own)
    assert b">Hide<" in own.content
    assert rendered(newcomer)
    assert b"to give +K." in newcomer.content
    assert rendered(other)
    assert b"Give +K" in other.content
    assert b"You have 5 +K left today." in other.content
    assert not rendered(anonymous)
    assert anonymous.content == visit(client, person).content
    for viewers in (b"Hide", b"Give +K", b"left today", b"to give +K", b"You gave +K"):
        assert viewers not in anonymous.content


def test_a_giver_renamed_is_seen_at_once_on_the_profile_they_gave_plus_k(client, world):
    person = alice()
    giver = Person.objects.create(display_name="Giver")
    Endorsement.objects.create(giver=giver, receiver=person, topic=Topic.objects.get(slug="python"))
    assert f'+K from <a href="/p/{giver.public_id}/">Giver</a>' in visit(client, person).text

    Person.objects.filter(pk=giver.pk).update(display_name="Gail Giver")
    after = visit(client, person)

    assert rendered(after)
    assert f'+K from <a href="/p/{giver.public_id}/">Gail Giver</a>' in after.text


def test_a_waiting_message_is_shown_once_then_the_shared_page_again(client, world):
    person = alice()
    visit(client, person)
    client.force_login(UserFactory())
    client.post("/accounts/logout/")  # leaves "You have logged out."

    with_message, after = visit(client, person), visit(client, person)

    assert rendered(with_message)
    assert b"logged out" in with_message.content
    assert not rendered(after)
    assert b"logged out" not in after.content


def test_a_query_string_does_not_make_another_page(client, world):
    person = alice()
    visit(client, person)

    tracked = client.get(f"/p/{person.public_id}/?utm_source=newsletter")

    assert not rendered(tracked)


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


def test_without_its_cache_the_page_is_rendered_every_time(client, world, settings, caplog):
    settings.CACHES = UNREACHABLE_CACHE
    person = alice()

    first, second = visit(client, person), visit(client, person)

    assert rendered(first)
    assert rendered(second)
    assert "the cache cannot be read" in caplog.text
