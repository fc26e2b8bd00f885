"""Staff review brands and campaigns in the admin: verify, approve, reject saying why, pause."""

import pytest
from django.utils import timezone

from campaigns.models import Brand, Campaign
from campaigns.services.lifecycle import campaign_resume
from marketplace.errors import ApplicationError
from marketplace.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/admin/campaigns/campaign/"


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, password=None))


def act(client, action, *rows, url=CAMPAIGNS, **data):
    selected = [row.pk for row in rows]
    return client.post(url, {"action": action, "_selected_action": selected, **data}, follow=True)


def status(campaign):
    return Campaign.objects.get(pk=campaign.pk).status


def test_staff_approve_a_submitted_campaign_and_it_goes_live(
    client, staff, live_campaign, django_capture_on_commit_callbacks
):
    campaign = live_campaign(status="submitted")

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "approve", campaign)

    assert "Approved: 1." in response.content.decode()
    assert status(campaign) == "active"
    assert Notification.objects.get().subject == "“Early screening” is approved"


def test_a_rejection_asks_why_and_the_brand_reads_it(client, staff, live_campaign):
    campaign = live_campaign(status="submitted")

    asked = act(client, "reject", campaign)
    empty = act(client, "reject", campaign, apply="Reject campaigns", note="")
    done = act(client, "reject", campaign, apply="Reject campaigns", note="No disclosure.")

    assert "go back to their brands with your reason" in asked.content.decode()
    assert "This field is required." in empty.content.decode()
    assert "Rejected: 1." in done.content.decode()
    campaign.refresh_from_db()
    assert (campaign.status, campaign.review_note) == ("rejected", "No disclosure.")


def test_staff_pause_any_campaign_and_wrong_moves_are_explained(client, staff, live_campaign):
    live, draft = live_campaign(), live_campaign(status="draft")

    response = act(client, "pause", live, draft)

    page = response.content.decode()
    assert "Paused: 1." in page
    assert "Early screening: It is draft." in page
    assert (status(live), status(draft)) == ("paused", "draft")


def test_staff_verify_brands_and_cannot_write_campaigns(client, staff, brand, live_campaign):
    act(client, "verify", brand, url="/admin/campaigns/brand/")

    assert Brand.objects.get().verified_at is not None
    assert client.get(f"{CAMPAIGNS}add/").status_code == 403
    campaign = live_campaign()
    assert client.post(f"{CAMPAIGNS}{campaign.pk}/delete/").status_code == 403


def test_a_staff_pause_is_lifted_by_staff_only_and_the_brand_hears_of_each_decision(
    client, staff, brand, live_campaign
):
    campaign, owner = live_campaign(), brand.memberships.get().user
    act(client, "pause", campaign)

    with pytest.raises(ApplicationError, match="Staff paused it: only they can resume it"):
        campaign_resume(actor=owner, campaign=campaign, now=timezone.now())
    act(client, "resume", campaign)

    assert status(campaign) == "active"
    [told] = Notification.objects.filter(user=owner)
    assert told.subject == "“Early screening” was paused by staff"
    assert told.url == f"/brands/acme/{campaign.pk}/"
