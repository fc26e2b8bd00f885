"""The profile page's one statement on PostgreSQL against the ORM's reading of the same."""

import pytest
from django.db import connection

from marketplace.models import BaseModel
from scoring.models import Endorsement, Handle, HiddenTopic, Person, Topic
from scoring.selectors.profiles import Endorser, _profile_orm, _row_postgres, person_profile
from tests.scoring.worlds import alice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement"),
]


STAMPS = {f.name for f in BaseModel._meta.fields}  # not on the page, not read
SHOWN = [f.attname for f in Person._meta.concrete_fields if f.name not in STAMPS]


def postgres(public_id):
    return _row_postgres(public_id).parse()


def facts(profile):
    """Everything the page shows, as plain values (model instances compare by key alone)."""
    return {
        "person": [getattr(profile.person, name) for name in SHOWN],
        "details": profile.details,
        "handles": [
            (h.pk, str(h), h.get_network_display(), h.profile_url, h.verification)
            for h in profile.handles
        ],
        "history": profile.history,
        "topics": [
            (t.topic.pk, t.topic.slug, t.topic.name, t.score, t.endorsements, t.endorsers, t.others)
            for t in profile.topics
        ],
        "hidden": [(t.pk, t.slug, t.name) for t in profile.hidden_topics],
        "influencers": profile.influencers,
        "influencees": profile.influencees,
        "day": profile.day,
        "claimed": profile.is_claimed,
    }


def test_the_statement_reads_what_the_orm_reads(world):
    person = alice()
    bob = Handle.objects.get(username="bob").person
    fan = Handle.objects.get(username="fan100").person
    python, programming = Topic.objects.get(slug="python"), Topic.objects.get(slug="programming")
    Endorsement.objects.create(giver=bob, receiver=person, topic=python)
    Endorsement.objects.create(giver=fan, receiver=person, topic=python)
    Endorsement.objects.create(giver=bob, receiver=person, topic=python)  # a week later
    gone = Person.objects.create(display_name="Gone", opted_out=True)
    Endorsement.objects.create(giver=gone, receiver=person, topic=python)
    HiddenTopic.objects.create(person=person, topic=programming)
    Handle.objects.create(
        person=person, network="mastodon", external_id="9", username="alice@social.example"
    )
    Person.objects.filter(pk=Handle.objects.get(username="fan101").person_id).update(opted_out=True)
    newcomer = Person.objects.create(display_name="Newcomer")

    for public_id in (person.public_id, bob.public_id, newcomer.public_id):
        read = facts(postgres(public_id))
        assert read == facts(_profile_orm(public_id))
    alices = facts(postgres(person.public_id))
    assert [t[1] for t in alices["topics"]] == ["python"]
    # Four +K from three people: Gone gave last but opted out, so is counted and not named.
    named = [Endorser(bob.public_id, "Bob Stone"), Endorser(fan.public_id, "Fan 100")]
    assert alices["topics"][0][4:] == (4, named, 1)
    assert alices["hidden"] == [(programming.pk, "programming", programming.name)]
    assert len(alices["handles"]) == 2
    assert "Fan 101" not in [r.name for r in alices["influencees"]]
    assert len(alices["history"]) == 4


def test_an_unknown_or_opted_out_person_has_no_profile(world):
    person = alice()
    Person.objects.filter(pk=person.pk).update(opted_out=True)

    assert _row_postgres(person.public_id) is None
    assert _row_postgres("nobody") is None


def test_the_statement_is_prepared_once_a_connection(world, django_assert_num_queries):
    public_id = alice().public_id
    person_profile(public_id=public_id)

    with django_assert_num_queries(1):
        person_profile(public_id=public_id)
