from dataclasses import dataclass, field

import pytest

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Invitation, Membership, Role
from campaigns.services.claims import ClaimRequest, claim_create
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope, User
from scoring.models import Person, Topic
from tests.campaigns.conftest import brand, live_campaign, person_of  # noqa: F401  (fixtures)
from tests.factories import UserFactory
from tests.scoring.worlds import alice


@dataclass
class Site:
    """A scored world with a brand, a live campaign and a claim on it, the people who use it
    (None is a visitor), and the real values a route's parameters can take."""

    users: list[User | None]
    brand_key: str
    read_key: str
    real: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def site(world, brand, live_campaign):  # noqa: F811
    campaign = live_campaign()
    member = person_of(score=60.0)
    eligibility_refresh(campaign_id=campaign.pk)
    claim = claim_create(
        user=member.owner, campaign_id=campaign.pk, request=ClaimRequest(idempotency_key="k")
    )
    owner = Membership.objects.get(brand=brand, role=Role.OWNER).user
    staff = UserFactory(is_staff=True, is_superuser=True)
    invitation = Invitation.objects.create(
        brand=brand, email="new@example.com", role=Role.VIEWER, invited_by=owner
    )
    person = alice()
    handle = person.handles.first()
    topic = Topic.objects.filter(status="approved").first()
    brand_key = api_key_create(name="Brand", scope=ApiScope.BRAND_WRITE, brand_id=brand.pk)
    read_key = api_key_create(name="Read", scope=ApiScope.READ)
    real = {
        "slug": [brand.slug, topic.slug],
        "pk": [str(campaign.pk), str(handle.pk)],
        "claim": [str(claim.pk)],
        "topic": [str(topic.pk)],
        "public_id": [person.public_id, Person.objects.get(owner=member.owner).public_id],
        "klout_id": [person.public_id],
        "network": [handle.network, "tw"],
        "username": [handle.username],
        "external_id": [handle.external_id],
        "token": [invitation.token],
        "key": [str(brand_key.api_key.pk)],
        "member": [str(Membership.objects.get(brand=brand, role=Role.OWNER).pk)],
        "move": ["submit", "pause", "resume"],
    }
    return Site(
        users=[None, member.owner, owner, staff],
        brand_key=brand_key.key,
        read_key=read_key.key,
        real=real,
    )
