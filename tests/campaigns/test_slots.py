"""An experience with dates: the brand gives each date its places, a claimant picks one, and
a date never takes more claimants than it has places."""

import re
from datetime import UTC, datetime

import pytest

from campaigns.models import Campaign, Membership, Role, Slot
from campaigns.services.claims import ClaimRequest, claim_cancel, claim_create
from marketplace.errors import ApplicationError
from tests.campaigns.building import campaign_built
from tests.campaigns.conftest import person_of
from tests.campaigns.test_brand_pages import FORM
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening(live_campaign):
    campaign = live_campaign(perk_type="experience", quantity=3, codes=0)
    for day, capacity in ((5, 1), (6, 2)):
        Slot.objects.create(
            campaign=campaign, starts_at=datetime(2026, 12, day, 19, tzinfo=UTC), capacity=capacity
        )
    return campaign


def slot(day):
    return Slot.objects.get(starts_at__day=day)


def on(day, key):
    return ClaimRequest(key, slot_id=slot(day).pk)


def test_a_brand_gives_an_experience_its_dates(client, brand):
    manager = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=manager, role=Role.MANAGER)
    client.force_login(manager)
    form = {**FORM, "perk_type": "experience", "quantity": "3",
            "slots": "2026-12-05 19:00, 1\n2026-12-06T19:00 2"}  # fmt: skip

    campaign = campaign_built(client, "acme", form)

    assert [(s.starts_at.day, s.capacity) for s in campaign.slots.all()] == [(5, 1), (6, 2)]
    edit = client.get(f"/brands/acme/{campaign.pk}/edit/claiming/").content.decode()
    assert "2026-12-05 19:00, 1\n2026-12-06 19:00, 2" in edit


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"slots": "2026-12-05 19:00, 1"}, "The dates have fewer places than the 3 units"),
        ({"slots": "5 December, 3"}, "Line 1: write a date and time, a comma"),
        ({"slots": "2026-12-05 19:00, 2\n2026-12-05 19:00, 2"}, "Give each date once."),
    ],
)
def test_dates_that_do_not_fit_are_refused(client, brand, change, error):
    manager = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=manager, role=Role.MANAGER)
    client.force_login(manager)

    experience = {**FORM, "perk_type": "experience", "quantity": "3"}
    response = client.post("/brands/acme/new/", {**experience, **change})

    assert error in response.content.decode()
    assert not Campaign.objects.exists()


def test_claimants_pick_a_date_with_places_left_and_a_cancel_gives_it_back(screening):
    first, second = person_of().owner, person_of().owner

    with pytest.raises(ApplicationError, match="Please pick a date"):
        claim_create(user=first, campaign_id=screening.pk, request=ClaimRequest("a"))
    claim = claim_create(user=first, campaign_id=screening.pk, request=on(5, "b"))
    with pytest.raises(ApplicationError, match="That date is full or gone"):
        claim_create(user=second, campaign_id=screening.pk, request=on(5, "c"))
    assert Campaign.objects.get().taken == 1  # the refused claim gave its unit back

    claim_cancel(user=first, claim_id=claim.pk)
    claim_create(user=second, campaign_id=screening.pk, request=on(5, "d"))
    assert slot(5).taken == 1


def test_the_perk_page_offers_the_dates_with_places_left(client, screening):
    user = person_of().owner
    claim_create(user=person_of().owner, campaign_id=screening.pk, request=on(5, "x"))
    client.force_login(user)

    page = client.get(f"/perks/{screening.pk}/").content.decode()
    assert "Saturday 5 December" not in page
    assert "Sunday 6 December, 19:00 UTC (2 left)" in page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    done = client.post(
        f"/perks/{screening.pk}/", {"idempotency_key": key, "slot": slot(6).pk}, follow=True
    ).content.decode()

    assert "Your date: <strong>Sunday 6 December 2026, 19:00 UTC</strong>" in done
