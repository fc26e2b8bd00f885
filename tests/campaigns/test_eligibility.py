"""Who a live campaign is offered to: its score band, topics and places, never opted-out
people, hidden, banned or sensitive topics; told once, and losing the offer when they fall
out of the target before claiming."""

import pytest

from campaigns.eligibility import eligibility_refresh, eligibility_refresh_all
from campaigns.models import Eligibility, Tier
from campaigns.selectors.targeting import Target, eligible_people, targeted_people
from campaigns.services.claims import ClaimRequest, claim_cancel, claim_create
from marketplace.models import Notification, User
from scoring.models import HiddenTopic, Person, PersonTopic, Topic
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory
from tests.scoring.worlds import score_days, scored_world

pytestmark = pytest.mark.django_db


def names(people):
    return sorted(people.values_list("display_name", flat=True))


@pytest.fixture
def jazz():
    return Topic.objects.create(slug="jazz", name="Jazz", status="approved")


def on(person, topic, score=50.0):
    PersonTopic.objects.create(person=person, topic=topic, score=score)
    return person


def test_the_score_band_bounds_the_target(live_campaign):
    campaign = live_campaign(max_score=70)
    # Read as people see them: 39.5 shows as 40, 70.4 as 70, 70.5 as 71.
    for name, score in [("low", 39.4), ("floor", 39.5), ("top", 70.4), ("high", 70.5)]:
        person_of(display_name=name, score=score)
    Person.objects.create(display_name="unclaimed", score=55)

    assert names(targeted_people(Target.of(campaign))) == ["floor", "top", "unclaimed"]
    assert names(eligible_people(campaign)) == ["floor", "top"]


def test_a_topic_counts_only_when_public_and_not_hidden(live_campaign, jazz):
    campaign = live_campaign()
    campaign.topics.add(jazz)
    blues = Topic.objects.create(slug="blues", name="Blues", status="approved")
    on(person_of(display_name="fan"), jazz)
    on(person_of(display_name="other"), blues)
    HiddenTopic.objects.create(person=on(person_of(display_name="hider"), jazz), topic=jazz)
    person_of(display_name="none")

    assert names(eligible_people(campaign)) == ["fan"]
    Topic.objects.filter(pk=jazz.pk).update(is_sensitive=True)
    assert names(eligible_people(campaign)) == []
    Topic.objects.filter(pk=jazz.pk).update(is_sensitive=False, status="banned")
    assert names(eligible_people(campaign)) == []


def test_places_are_countries_or_cities(live_campaign):
    campaign = live_campaign(countries=["CA"], cities=["Lyon"])
    person_of(display_name="toronto", country="CA", place="Toronto")
    person_of(display_name="lyon", country="FR", place="lyon")
    person_of(display_name="paris", country="FR", place="Paris")
    person_of(display_name="out", opted_out=True, country="CA")

    assert names(eligible_people(campaign)) == ["lyon", "toronto"]


def test_the_newly_eligible_are_told_once_in_app_and_by_e_mail(
    live_campaign, mailoutbox, django_capture_on_commit_callbacks
):
    campaign = live_campaign()
    Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=campaign, min_score=60, offer="Free")
    keen, quiet = person_of(score=65), person_of(score=45)
    User.objects.filter(pk=quiet.owner_id).update(email_perk_offers=False)

    with django_capture_on_commit_callbacks(execute=True):
        first = eligibility_refresh(campaign_id=campaign.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = eligibility_refresh(campaign_id=campaign.pk)

    assert (first.offered, again.offered) == (2, 0)
    tiers = dict(Eligibility.objects.values_list("person_id", "tier__offer"))
    assert tiers == {keen.pk: "Free", quiet.pk: "20 % off"}
    assert Notification.objects.filter(subject="A perk for you: Early screening").count() == 2
    assert [message.to for message in mailoutbox] == [[keen.owner.email]]


def test_falling_out_before_claiming_loses_the_offer_and_coming_back_is_not_told_again(
    live_campaign, django_capture_on_commit_callbacks
):
    campaign = live_campaign()
    leaver, claimant = person_of(), person_of()
    eligibility_refresh(campaign_id=campaign.pk)
    claim_create(user=claimant.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    Person.objects.filter(pk__in=[leaver.pk, claimant.pk]).update(score=20)

    lost = eligibility_refresh(campaign_id=campaign.pk)
    Person.objects.filter(pk=leaver.pk).update(score=50)
    back = eligibility_refresh(campaign_id=campaign.pk)

    assert (lost.lost, back.returned, back.offered) == (1, 1, 0)
    assert not Eligibility.objects.exclude(lost_at=None).exists()
    assert Notification.objects.filter(kind="perk_offer").count() == 2


def test_only_live_campaigns_are_refreshed(live_campaign):
    live_campaign(status="paused")
    person_of()

    assert eligibility_refresh_all() == 0
    assert not Eligibility.objects.exists()


def test_a_live_scoring_run_refreshes_every_live_campaign(
    live_campaign, django_capture_on_commit_callbacks, tmp_path
):
    live_campaign(min_score=1)
    with django_capture_on_commit_callbacks(execute=True):
        scored_world(tmp_path)
    assert not Eligibility.objects.exists()  # nobody in that world has claimed a profile
    Person.objects.filter(display_name="Alice Martin").update(owner=UserFactory(password=None))

    with django_capture_on_commit_callbacks(execute=True):
        score_days(23)

    assert list(Eligibility.objects.values_list("person__display_name", flat=True)) == [
        "Alice Martin"
    ]


def test_someone_who_claimed_before_the_refresh_is_not_told_of_it(live_campaign):
    campaign = live_campaign()
    early = person_of()
    claim_create(user=early.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))

    assert eligibility_refresh(campaign_id=campaign.pk).offered == 0
    assert not Notification.objects.filter(kind="perk_offer").exists()


def test_someone_given_a_code_before_the_refresh_is_not_told_of_it_after_cancelling(
    live_campaign,
):
    campaign = live_campaign()
    early = person_of()
    made = claim_create(user=early.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    claim_cancel(user=early.owner, claim_id=made.pk)  # the code stays theirs: one a person

    assert eligibility_refresh(campaign_id=campaign.pk).offered == 0
    assert not Notification.objects.filter(kind="perk_offer").exists()
