"""A campaign that targets a topic staff merge into another targets that one, and a campaign
never targets people through a banned topic."""

import pytest

from campaigns.selectors.targeting import eligible_people
from scoring.models import PersonTopic, Topic
from scoring.services.topic_moderation import topic_ban, topic_merge
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(is_staff=True, password=None)


def test_a_campaign_targeting_a_merged_topic_targets_its_successor(live_campaign, moderator):
    gelato = Topic.objects.create(slug="gelato", name="Gelato", status="approved")
    ice_cream = Topic.objects.create(slug="ice-cream", name="Ice Cream", status="approved")
    campaign = live_campaign()
    campaign.topics.add(gelato)
    fan = person_of()
    PersonTopic.objects.create(person=fan, topic=ice_cream, score=60)

    assert list(eligible_people(campaign)) == []
    topic_merge(moderator=moderator, source=gelato, target=ice_cream)

    assert list(campaign.topics.all()) == [ice_cream]
    assert list(eligible_people(campaign)) == [fan]


def test_a_banned_topic_targets_nobody(live_campaign, moderator):
    jazz = Topic.objects.create(slug="jazz", name="Jazz", status="approved")
    campaign = live_campaign()
    campaign.topics.add(jazz)
    PersonTopic.objects.create(person=person_of(), topic=jazz, score=60)

    topic_ban(moderator=moderator, topic=jazz)

    assert list(eligible_people(campaign)) == []
