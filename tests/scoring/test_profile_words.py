"""What a profile says to a newcomer: a claim it offers only where one can be made, scores at
the bottom of the scale said kindly, figures with what they count, a handle named once, and a
reason's engager leading to their profile."""

import pytest
from django.utils import timezone

from scoring.models import Handle, Person, ScoreDetails
from scoring.templatetags.scores import reason_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TWITTER_KEYS = {"APP": {"client_id": "sway-test", "secret": "sway-test-secret"}}
OPT_OUT = '<a class="button secondary" href="/settings/opt-out/#request">'
VERIFY = '<a class="button" href="/verify/">Verify it\'s you</a>'


def person_on(*networks, **fields):
    person = Person.objects.create(display_name="Ada Lovelace", **fields)
    for n, network in enumerate(networks):
        username = "ada@social.example" if network == "mastodon" else "ada"
        Handle.objects.create(person=person, network=network, external_id=str(n), username=username)
    return person


def profile(client, person):
    response = client.get(f"/p/{person.public_id}/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_profile_no_handle_of_which_can_be_verified_here_offers_to_take_it_off(client):
    body = profile(client, person_on("twitter", "instagram"))

    assert "Nobody has claimed this profile yet." in body
    assert "this profile's networks cannot be verified on this site yet" in body
    assert f"{OPT_OUT}Is this you? Ask for it to be taken off Sway</a>" in body
    assert VERIFY not in body


@pytest.mark.parametrize("networks", [("bluesky",), ("mastodon",), ("twitter",)])
def test_a_profile_with_a_handle_verifiable_here_offers_to_verify_it(client, settings, networks):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "twitter_oauth2": TWITTER_KEYS,
    }  # a Mastodon handle is verified by a code, with no keys

    body = profile(client, person_on(*networks))

    assert VERIFY in body
    assert OPT_OUT not in body


def test_a_claimed_profile_offers_neither(client):
    body = profile(client, person_on("twitter", owner=UserFactory()))

    assert VERIFY not in body
    assert OPT_OUT not in body


def test_the_header_names_each_handles_network_once(client):
    body = profile(client, person_on("twitter", "mastodon"))

    assert '<span class="network">X / Twitter</span> @ada </li>' in body
    assert '<span class="network">Mastodon</span> @ada@social.example </li>' in body
    assert "twitter:@ada" not in body


def scored_at_the_bottom():
    person = person_on("twitter", score=1.2, percentile=0.4, score_day=timezone.localdate())
    figures = {"reach": 0.0, "amplification": 0.0, "network": 0.0}
    ScoreDetails.objects.create(person=person, data=figures | {"percentiles": figures})
    return person


def test_the_bottom_of_the_scale_reads_among_the_lowest_not_higher_than_nobody(client):
    body = profile(client, scored_at_the_bottom())

    assert '<p class="muted">Among the lowest scores</p>' in body
    assert "Sway score 1 (Getting started), among the lowest scores." in body
    assert body.count('">Among the <strong>lowest</strong></dd>') == 3  # each part
    assert "Higher than 0 %" not in body
    assert "higher than 0 %" not in body


def test_each_figure_says_what_it_counts(client):
    body = profile(client, scored_at_the_bottom())

    assert (
        '<p>Reach: <span class="part-value">0</span></p> <p class="muted">The figure counts '
        "people: each counts once at most, however often they engaged"
    ) in body
    assert (
        '<p>Amplification: <span class="part-value">0.0</span></p> <p class="muted">The figure '
        "counts people: how many a post moved, on average"
    ) in body
    assert (
        '<p>Network: <span class="part-value">0.0</span></p> <p class="muted">The figure counts '
        "the same people, each weighed by how influential they are: nobody counts as more "
        "than one.</p>"
    ) in body


def test_a_reasons_engager_leads_to_their_profile_with_their_score_named():
    named = {
        "points": 2.5,
        "text": "3 people engaged with what was posted, among them @bo<3 (score 41)",
        "engager": {"network": "twitter", "username": "bo<3", "score": "41"},
    }
    before = {"points": 2.5, "text": "3 people engaged with what was posted, among them @bo (4)"}

    assert reason_text(named) == (
        "3 people engaged with what was posted, among them "
        '<a href="/p/twitter/bo%3C3/">@bo&lt;3</a> (score 41)'
    )
    assert reason_text(before) == before["text"]  # kept before engagers were named apart
    assert reason_text({"points": -0.2, "text": "fading <b>"}) == "fading <b>"  # escaped later


def test_your_profile_without_a_verified_handle_says_why_it_leads_to_your_handles(client):
    client.force_login(UserFactory())

    response = client.get("/me/", follow=True)

    assert response.redirect_chain == [("/verify/", 302)]
    assert (
        "You have no profile yet: verify one of your handles to make its profile yours."
        in response.content.decode()
    )
