"""Staff's review page of a campaign: what there is to decide on (the audience, the code pool,
the perk as members will see it, the brand and whether it is verified), and approving or
rejecting it there; refused to anyone but staff who may see campaigns, and to forged or
hostile posts, with a clear answer and nothing written."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, Membership, Role, Slot, Tier
from marketplace.models import Notification
from scoring.models import Person, Topic, TopicStatus
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def review_url(campaign, tail=""):
    return f"/admin/campaigns/campaign/{campaign.pk}/review/{tail}"


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True, password=None)
    client.force_login(user)
    return user


@pytest.fixture
def submitted(live_campaign):
    """A submitted code perk for scores from 40: 10 units, 12 codes, two tiers."""
    campaign = live_campaign(status=CampaignStatus.SUBMITTED, description="See it first, in 4K.")
    Tier.objects.create(campaign=campaign, min_score=40, offer="20 % off")
    Tier.objects.create(campaign=campaign, min_score=70, offer="A free ticket")
    return campaign


def state(campaign):
    return Campaign.objects.values_list("status", "review_note").get(pk=campaign.pk)


def test_the_page_shows_the_audience_the_pool_the_preview_and_an_unverified_brand(
    client, staff, submitted
):
    person_of(score=55)  # qualifies, with an account
    Person.objects.create(score=80)  # qualifies, no account yet
    person_of(score=20)  # below
    Membership.objects.create(
        brand=submitted.brand, user=UserFactory(email="mia@acme.example"), role=Role.VIEWER
    )

    response = client.get(review_url(submitted))

    page = " ".join(response.content.decode().split())  # whitespace as a browser reads it
    assert response.status_code == 200
    assert "<title>Review Early screening · Sway</title>" in page
    assert "<strong>2</strong> people qualify now; 1 of them has a Sway account" in page
    assert "Code pool: <strong>12</strong> codes, 12 free, 0 handed out." in page
    assert "Fewer free codes" not in page
    assert "See it first, in 4K." in page  # the preview
    assert "A free ticket" in page
    assert '<span class="tag" id="verification">not verified</span>' in page
    assert "mia@acme.example" in page
    assert 'action="/admin/campaigns/campaign/' in page
    assert ">Approve</button>" in page
    assert ">Reject</button>" in page


def test_the_page_names_a_verified_brand_a_short_pool_and_topics_members_never_see(
    client, staff, submitted
):
    Campaign.objects.filter(pk=submitted.pk).update(quantity=20)
    submitted.brand.verified_at = timezone.now()
    submitted.brand.save()
    jazz = Topic.objects.create(slug="jazz", name="Jazz", status=TopicStatus.APPROVED)
    health = Topic.objects.create(
        slug="health", name="Health", status=TopicStatus.APPROVED, is_sensitive=True
    )
    submitted.topics.set([jazz, health])

    page = " ".join(client.get(review_url(submitted)).content.decode().split())

    assert "verified on" in page
    assert "Fewer free codes than units left: 12 for 20." in page
    assert "influential about" in page
    assert ">Jazz</a>" in page
    assert "It also aims at topics members never see: Health (sensitive)." in page


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, staff, submitted, django_assert_num_queries
):
    def grow(first, last):
        for k in range(first, last):
            Tier.objects.create(campaign=submitted, min_score=80 + k, offer=f"Tier {k}")
            Slot.objects.create(
                campaign=submitted, starts_at=timezone.now() + timedelta(days=k + 1), capacity=2
            )
            Membership.objects.create(brand=submitted.brand, user=UserFactory(), role=Role.VIEWER)
            topic = Topic.objects.create(slug=f"t{k}", name=f"T{k}", status=TopicStatus.APPROVED)
            submitted.topics.add(topic)

    grow(0, 1)
    with django_assert_num_queries(14) as few:
        client.get(review_url(submitted))
    grow(1, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(review_url(submitted))


def test_staff_approve_from_the_page_and_the_brand_is_told(
    client, staff, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(submitted, "approve/"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(review_url(submitted), 302)]
    assert "“Early screening” is approved: Active." in page
    assert "It is active: there is nothing to decide now." in page
    assert ">Approve</button>" not in page
    assert state(submitted) == ("active", "")
    assert Notification.objects.get().subject == "“Early screening” is approved"


def test_a_campaign_that_starts_later_is_scheduled(client, staff, live_campaign):
    later = timezone.now() + timedelta(days=3)
    campaign = live_campaign(status=CampaignStatus.SUBMITTED, starts_at=later)

    asked = client.get(review_url(campaign)).content.decode()
    client.post(review_url(campaign, "approve/"))

    assert f"It goes live on {later:%-d %B %Y}" in asked
    assert state(campaign) == ("scheduled", "")


def test_staff_reject_from_the_page_saying_why(client, staff, submitted):
    response = client.post(review_url(submitted, "reject/"), {"note": "  No disclosure.  "})

    assert response.status_code == 302
    assert state(submitted) == ("rejected", "No disclosure.")
    told = Notification.objects.get()
    assert told.body.endswith("Staff said: No disclosure.")
    page = client.get(review_url(submitted)).content.decode()
    assert "“Early screening” is rejected: its brand reads why." in page
    assert "Staff said: No disclosure." in page


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_a_rejection_without_a_reason_is_refused_at_the_field(client, staff, submitted, note):
    response = client.post(review_url(submitted, "reject/"), {"note": note})

    page = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in page
    assert ">Reject</button>" in page  # the page again, to say why
    assert state(submitted) == ("submitted", "")
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("note", "refusal"),
    [
        ("a\x00b", "Null characters are not allowed."),
        ("x" * 100_000, "Ensure this value has at most 500 characters (it has 100000)."),
    ],
)
def test_a_hostile_reason_is_refused_at_the_field(client, staff, submitted, note, refusal):
    response = client.post(review_url(submitted, "reject/"), {"note": note})

    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert state(submitted) == ("submitted", "")
    assert not Notification.objects.exists()


def test_a_reason_with_lone_surrogates_and_controls_is_kept_readable(client, staff, submitted):
    body = "note=" + "%ED%A0%80bad%01%0Bbytes%F0"  # a lone surrogate, controls, a cut character
    response = client.post(
        review_url(submitted, "reject/"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302
    status, note = state(submitted)
    assert status == "rejected"
    assert "bad\x01\x0bbytes" in note
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in note)


@pytest.mark.parametrize(
    ("status", "tail", "said"),
    [
        ("active", "approve/", "“Early screening” was not approved: It is active."),
        ("draft", "reject/", "“Early screening” was not rejected: It is draft."),
        ("rejected", "approve/", "“Early screening” was not approved: It is rejected."),
    ],
)
def test_a_forged_decision_on_a_campaign_not_waiting_is_refused_clearly(
    client, staff, live_campaign, status, tail, said
):
    campaign = live_campaign(status=status)

    response = client.post(review_url(campaign, tail), {"note": "Forged."}, follow=True)

    assert response.status_code == 200
    assert said in response.content.decode()
    assert state(campaign) == (status, "")
    assert not Notification.objects.exists()


def test_an_unknown_campaign_is_not_found_and_reading_is_not_deciding(client, staff, submitted):
    gone = Campaign(pk=submitted.pk + 1000)

    assert client.get(review_url(gone)).status_code == 404
    assert client.post(review_url(gone, "approve/")).status_code == 404
    assert client.post(review_url(gone, "reject/"), {"note": "x"}).status_code == 404
    assert client.get(review_url(submitted, "approve/")).status_code == 405
    assert client.post(review_url(submitted)).status_code == 405
    assert state(submitted) == ("submitted", "")


def test_members_and_visitors_are_sent_to_the_admins_sign_in(client, submitted):
    for who in (None, UserFactory(password=None), submitted.brand.memberships.get().user):
        if who is not None:
            client.force_login(who)
        page = client.get(review_url(submitted))
        approved = client.post(review_url(submitted, "approve/"))
        rejected = client.post(review_url(submitted, "reject/"), {"note": "x"})

        for response in (page, approved, rejected):
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/?next=")
    assert state(submitted) == ("submitted", "")


def test_staff_who_may_not_see_campaigns_are_refused_and_those_who_may_can_review(
    client, submitted
):
    clerk = UserFactory(is_staff=True, password=None)
    client.force_login(clerk)

    refused = [
        client.get(review_url(submitted)).status_code,
        client.post(review_url(submitted, "approve/")).status_code,
        client.post(review_url(submitted, "reject/"), {"note": "x"}).status_code,
    ]
    clerk.user_permissions.add(Permission.objects.get(codename="view_campaign"))

    assert refused == [403, 403, 403]
    assert state(submitted) == ("submitted", "")
    assert client.get(review_url(submitted)).status_code == 200


def test_the_list_and_the_campaigns_admin_page_lead_to_the_review(client, staff, submitted):
    listed = client.get("/admin/campaigns/campaign/").content.decode()
    shown = client.get(f"/admin/campaigns/campaign/{submitted.pk}/change/").content.decode()

    link = f'href="{review_url(submitted)}"'
    assert f'<a {link} aria-label="Review Early screening">Review</a>' in listed
    assert f"<a {link}>Review</a>" in shown


def test_staff_who_may_only_see_campaigns_cannot_decide_on_them(client, submitted):
    clerk = UserFactory(is_staff=True, password=None)
    clerk.user_permissions.add(Permission.objects.get(codename="view_campaign"))
    client.force_login(clerk)

    page = client.get(review_url(submitted)).content.decode()
    refused = [
        client.post(review_url(submitted, "approve/")).status_code,
        client.post(review_url(submitted, "reject/"), {"note": "x"}).status_code,
    ]

    assert "needs the permission" in page
    assert ">Approve</button>" not in page
    assert refused == [403, 403]
    assert state(submitted) == ("submitted", "")
    clerk.user_permissions.add(Permission.objects.get(codename="review_campaign"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the user
    client.force_login(clerk)
    assert client.post(review_url(submitted, "approve/")).status_code == 302
    assert state(submitted)[0] != "submitted"
