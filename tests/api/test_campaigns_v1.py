"""The campaigns API: a brand's key or members manage its campaigns and claims and nobody
else's; a read key reaches no brand; a person claims with an Idempotency-Key."""

import json

import pytest

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Brand, Campaign, Claim, Membership, Role
from campaigns.services.claims import ClaimRequest, claim_create
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.models import ApiScope
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Volt weekend", "description": "Drive it.", "perk_type": "product",
    "quantity": 5, "min_score": 40, "countries": ["CA"],
    "starts_at": "2026-12-01T09:00:00Z", "ends_at": "2030-12-31T09:00:00Z",
    "tiers": [{"min_score": 40, "offer": "a weekend"}, {"min_score": 70, "offer": "a week"}],
}  # fmt: skip


def key_for(brand=None, scope=ApiScope.BRAND_WRITE):
    return api_key_create(name="Partner", scope=scope, brand_id=brand.pk if brand else None).key


def call(client, method, path, key=None, body=None, **headers):
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return getattr(client, method)(
        f"/api/v1/{path}", json.dumps(body) if body is not None else None,
        content_type="application/json", **headers,
    )  # fmt: skip


def test_a_brand_key_creates_updates_submits_and_lists_campaigns(client, brand):
    key = key_for(brand)

    made = call(client, "post", "brands/acme/campaigns/", key, NEW)
    campaign = made.json()
    changed = call(client, "put", f"brands/acme/campaigns/{campaign['id']}/", key,
                   {**NEW, "title": "Volt week"})  # fmt: skip
    submitted = call(client, "post", f"brands/acme/campaigns/{campaign['id']}/submit/", key)
    listed = call(client, "get", "brands/acme/campaigns/", key)

    assert made.status_code == 201
    assert (campaign["status"], campaign["countries"], campaign["tiers"]) == (
        "draft", ["CA"], NEW["tiers"],
    )  # fmt: skip
    assert changed.json()["title"] == "Volt week"
    assert submitted.json()["status"] == "submitted"
    assert [c["title"] for c in listed.json()] == ["Volt week"]
    refused = call(client, "put", f"brands/acme/campaigns/{campaign['id']}/", key, NEW)
    assert refused.json() == {
        "error": 400, "description": "Only a draft or a rejected campaign can be changed.",
    }  # fmt: skip


def test_a_brand_key_follows_and_fulfils_its_claims(client, brand, live_campaign):
    campaign = live_campaign()
    claimant = person_of(display_name="Dana")
    claim = claim_create(user=claimant.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    key = key_for(brand)

    listed = call(client, "get", f"brands/acme/campaigns/{campaign.pk}/claims/", key).json()
    done = call(client, "post", f"brands/acme/campaigns/{campaign.pk}/claims/{claim.pk}/fulfil/",
                key, {"tracking": "1Z9"})  # fmt: skip

    assert listed["count"] == 1
    assert (listed["results"][0]["name"], listed["results"][0]["code"]) == ("Dana", "CODE-000")
    assert (done.json()["status"], done.json()["tracking"]) == ("fulfilled", "1Z9")


def test_keys_and_members_reach_their_own_brand_only(client, brand, live_campaign):
    campaign = live_campaign()
    rival = Brand.objects.create(name="Rival", slug="rival")
    rival_key, read_key = key_for(rival), key_for(scope=ApiScope.READ)
    mine = f"brands/acme/campaigns/{campaign.pk}"

    assert call(client, "get", "brands/acme/campaigns/", rival_key).status_code == 404
    assert (
        call(client, "get", f"brands/rival/campaigns/{campaign.pk}/", rival_key).status_code == 404
    )
    assert call(client, "post", f"{mine}/pause/", rival_key).status_code == 404
    assert (
        call(client, "post", f"brands/rival/campaigns/{campaign.pk}/pause/", rival_key).status_code
        == 404
    )
    read = call(client, "post", f"{mine}/pause/", read_key)
    assert (read.status_code, read.json()["description"]) == (
        403,
        "A read key cannot reach brands.",
    )
    assert call(client, "get", "brands/acme/campaigns/", read_key).status_code == 403
    viewer = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert call(client, "get", "brands/acme/campaigns/").status_code == 200
    assert call(client, "post", f"{mine}/pause/").status_code == 403
    assert call(client, "get", "brands/rival/campaigns/").status_code == 404
    assert Campaign.objects.get().status == "active"


def test_a_revoked_key_is_refused(client, brand):
    made = api_key_create(name="Old", scope=ApiScope.BRAND_WRITE, brand_id=brand.pk)
    api_key_revoke(api_key=made.api_key)

    refused = call(client, "get", "brands/acme/campaigns/", made.key)

    assert (refused.status_code, refused.json()["error"]) == (401, 401)


def test_a_person_claims_once_per_idempotency_key(client, live_campaign):
    campaign = live_campaign()
    user = person_of().owner
    client.force_login(user)
    body = {"campaign": campaign.pk}
    eligibility_refresh(campaign_id=campaign.pk)
    offers = call(client, "get", "me/perks/").json()
    assert [(o["campaign"], o["title"], o["left"]) for o in offers] == [
        (campaign.pk, "Early screening", 10)
    ]

    first = call(client, "post", "me/claims/", body=body, HTTP_IDEMPOTENCY_KEY="abc")
    again = call(client, "post", "me/claims/", body=body, HTTP_IDEMPOTENCY_KEY="abc")
    missing = call(client, "post", "me/claims/", body=body)
    mine = call(client, "get", "me/claims/")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["code"] == "CODE-000"
    assert missing.status_code == 400
    assert [c["id"] for c in mine.json()] == [first.json()["id"]]
    assert Claim.objects.count() == 1
    client.logout()
    with_key = call(client, "get", "me/claims/", key_for(scope=ApiScope.READ))
    assert with_key.status_code == 403  # a partner's key is nobody's person


def test_a_held_units_code_stays_hidden_until_confirmed(client, live_campaign):
    campaign = live_campaign()
    person = person_of()
    held = Claim.objects.create(
        campaign=campaign, person=person, user=person.owner, status="reserved",
        idempotency_key="waitlist-1-x",
    )  # fmt: skip
    campaign.codes.filter(code="CODE-000").update(claim=held)
    client.force_login(person.owner)

    [shown] = call(client, "get", "me/claims/").json()

    assert (shown["status"], shown["code"]) == ("reserved", None)


def test_a_key_reused_for_another_perk_is_409(client, live_campaign):
    first, second = live_campaign(), live_campaign()
    user = person_of().owner
    client.force_login(user)
    for campaign in (first, second):
        eligibility_refresh(campaign_id=campaign.pk)

    made = call(client, "post", "me/claims/", body={"campaign": first.pk}, HTTP_IDEMPOTENCY_KEY="k")
    reused = call(
        client, "post", "me/claims/", body={"campaign": second.pk}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert made.status_code == 201
    assert reused.status_code == 409
    assert reused.json() == {
        "error": 409, "description": "That idempotency key was used for another claim.",
    }  # fmt: skip
    assert Claim.objects.count() == 1
