"""The brand's pages: create a brand, set up a campaign with a live estimate, upload codes,
submit, follow and fulfil claims; and never see or touch another brand's."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.eligibility import eligibility_refresh
from campaigns.models import Brand, Campaign, Claim, Code, Membership, Role
from campaigns.services.claims import ClaimRequest, claim_create
from marketplace.models import Notification
from scoring.models import Handle, Person
from tests.campaigns.building import campaign_built
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory
from tests.scoring.worlds import handle, said, share, write_and_import

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Volt for three days", "description": "Drive it.", "perk_type": "product",
    "quantity": "5", "min_score": "40", "max_score": "", "countries": "ca fr", "cities": "",
    "starts_at": "2026-12-01T09:00", "ends_at": "2026-12-31T09:00",
    "tiers": "40: a weekend\n70: a week", "questions": "Your licence number?",
    "needs_address": "on", "disclosure": "Say it was lent to you.", "hashtag": "#VoltDays",
}  # fmt: skip


def member(brand, role):
    user = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=user, role=role)
    return user


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_a_user_creates_a_brand_and_owns_it(client):
    user = UserFactory(password=None)
    client.force_login(user)

    response = client.post("/brands/", {"name": "Volt Motors", "website": "volt.example"})

    brand = Brand.objects.get()
    assert response.url == "/brands/volt-motors/"
    assert (brand.website, brand.verified_at) == ("https://volt.example", None)
    assert Membership.objects.get().role == "owner"
    assert "awaiting verification" in client.get("/brands/").content.decode()


def test_a_manager_sets_up_a_tiered_campaign_and_submits_it(client, brand):
    client.force_login(member(brand, Role.MANAGER))

    campaign = campaign_built(client, brand.slug, FORM)  # the builder's steps, in turn

    assert (campaign.status, campaign.countries, campaign.questions) == (
        "draft", ["CA", "FR"], ["Your licence number?"],
    )  # fmt: skip
    assert [(t.min_score, t.offer) for t in campaign.tiers.all()] == [
        (40, "a weekend"), (70, "a week"),
    ]  # fmt: skip
    submitted = client.post(f"/brands/acme/{campaign.pk}/move/", {"move": "submit"}, follow=True)
    assert messages_of(submitted)[-1] == "Submitted: staff will review it."
    assert Campaign.objects.get().status == "submitted"
    page = client.get(f"/brands/acme/{campaign.pk}/edit/")
    assert "Staff are reviewing it: nothing can change" in page.content.decode()
    refused = client.post(f"/brands/acme/{campaign.pk}/edit/audience/", FORM, follow=True)
    assert messages_of(refused)[-1] == "Only a draft or a rejected campaign can be changed."
    assert Campaign.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"tiers": "50: a weekend"}, "The first tier starts at the lowest score, 40."),
        ({"tiers": "40 a weekend"}, "Line 1: write a score from 1 to 100"),
        ({"max_score": "30"}, "It is below the lowest score."),
        ({"ends_at": "2026-11-30T09:00"}, "The campaign ends after it starts."),
        ({"countries": "Canada"}, "Not a country code: CANADA."),
    ],
)
def test_a_campaign_form_with_mistakes_says_what_and_saves_nothing(client, brand, change, error):
    client.force_login(member(brand, Role.OWNER))

    response = client.post(f"/brands/{brand.slug}/new/", {**FORM, **change})

    assert error in response.content.decode()
    assert not Campaign.objects.exists()


def test_the_live_estimate_counts_the_people_the_targeting_takes_in(client, brand):
    client.force_login(member(brand, Role.MANAGER))
    person_of(score=55, country="CA")
    person_of(score=35, country="CA")
    from scoring.models import Person

    Person.objects.create(score=60, country="FR")

    response = client.post("/brands/acme/estimate/", {"min_score": "40", "countries": "CA FR"})

    assert "<strong>2</strong> people qualify now;\n    1 of them has a Sway account" in (
        response.content.decode()
    )


def test_codes_upload_names_bad_lines_and_adds_good_files(client, brand, live_campaign):
    campaign = live_campaign(codes=0)
    client.force_login(member(brand, Role.MANAGER))
    url = f"/brands/acme/{campaign.pk}/codes/"

    bad = client.post(url, {"file": SimpleUploadedFile("c.csv", b"A\nA\n\n")}, follow=True)
    good = client.post(url, {"file": SimpleUploadedFile("c.csv", b"A\nB\n")}, follow=True)

    assert messages_of(bad) == ["No code was added. line 2: 'A' repeats line 1; line 3: blank."]
    assert messages_of(good) == ["2 codes added to the pool."]
    assert Code.objects.count() == 2


def test_the_dashboard_shows_the_funnel_and_claims_in_fixed_queries(
    client, brand, live_campaign, django_assert_num_queries
):
    campaign = live_campaign()
    claimants = [person_of(display_name=f"Claimant {n}") for n in range(3)]
    for person in claimants:
        claim_create(
            user=person.owner, campaign_id=campaign.pk, request=ClaimRequest(f"k{person.pk}")
        )
    client.force_login(member(brand, Role.VIEWER))

    # session, user, membership, campaign, claims count and page, their topics and hidden
    # topics, funnel ×2, claims and fulfilments by day, codes, the unread count in the navigation
    with django_assert_num_queries(14):
        page = client.get(f"/brands/acme/{campaign.pk}/").content.decode()

    assert "Claimant 2" in page
    assert "CODE-002" in page


def test_the_dashboard_follows_the_funnel_and_the_conversation_claimants_started(
    client, brand, live_campaign, tmp_path
):
    Brand.objects.filter(pk=brand.pk).update(handle="@acme")
    campaign = live_campaign(hashtag="#AcmeScreening")
    claimant, looker = person_of(display_name="Dana"), person_of()
    eligibility_refresh(campaign_id=campaign.pk)
    claim_create(user=claimant.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    client.force_login(looker.owner)
    client.get(f"/perks/{campaign.pk}/")
    client.get(f"/perks/{campaign.pk}/")  # viewed once
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    records = [handle("dana", "dana", "Dana"), *(handle(f, f, f) for f in "xyz")]
    records += [{**said("d1", "dana", "Saw it first! #AcmeScreening"), "published_at": later},
                {**said("d2", "dana", "Thanks @ACME"), "published_at": later},
                {**said("d3", "dana", "Unrelated"), "published_at": later}]  # fmt: skip
    records += [{**share(f, "dana", "d1"), "occurred_at": later} for f in "xyz"]
    write_and_import(tmp_path, records)
    Handle.objects.filter(external_id="dana").update(person=claimant)
    client.force_login(member(brand, Role.VIEWER))

    page = client.get(f"/brands/acme/{campaign.pk}/").content.decode()

    assert '<dt>Eligible</dt><dd class="part-value">2</dd>' in page
    assert '<dt>Viewed</dt><dd class="part-value">1</dd>' in page
    assert (
        "2 posts by claimants since they claimed, naming #AcmeScreening or @acme: "
        "3 engagements from 3 people."
    ) in page
    assert page.index("Saw it first!") < page.index("Thanks @ACME")
    assert "Unrelated" not in page


def test_a_claim_is_fulfilled_with_its_tracking_number_and_exported(client, brand, live_campaign):
    campaign = live_campaign()
    claimant = person_of(display_name="Dana")
    claim = claim_create(user=claimant.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    client.force_login(member(brand, Role.MANAGER))

    client.post(f"/brands/acme/{campaign.pk}/claims/{claim.pk}/ship/", {"tracking": "1Z999"})
    exported = client.get(f"/brands/acme/{campaign.pk}/claims.csv")

    assert Claim.objects.get().status == "fulfilled"
    told = Notification.objects.filter(user=claimant.owner).latest("pk")
    assert told.body == "Acme has sent or given you “Early screening”. Its tracking number: 1Z999."
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [(r["name"], r["code"], r["tracking"], r["status"]) for r in rows] == [
        ("Dana", "CODE-000", "1Z999", "fulfilled")
    ]


def test_a_viewer_reads_but_cannot_change(client, brand, live_campaign):
    campaign = live_campaign(status="draft")
    client.force_login(member(brand, Role.VIEWER))

    assert client.get(f"/brands/acme/{campaign.pk}/").status_code == 200
    assert client.get(f"/brands/acme/{campaign.pk}/edit/").status_code == 403
    assert client.post(f"/brands/acme/{campaign.pk}/move/", {"move": "submit"}).status_code == 403
    assert Campaign.objects.get().status == "draft"


def test_a_campaign_staff_paused_offers_its_brand_no_resume(client, brand, live_campaign):
    campaign = live_campaign(status="paused", paused_by_staff=True)
    client.force_login(member(brand, Role.MANAGER))

    page = client.get(f"/brands/acme/{campaign.pk}/").content.decode()

    assert "Staff paused it: only they can resume it." in page
    assert 'value="resume"' not in page


def test_a_member_of_another_brand_can_neither_read_nor_change_anything(
    client, brand, live_campaign
):
    campaign = live_campaign()
    claim = claim_create(user=person_of().owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    other = Brand.objects.create(name="Rival", slug="rival")
    client.force_login(member(other, Role.OWNER))
    upload = {"file": SimpleUploadedFile("c.csv", b"Z\n")}

    mine = f"/brands/acme/{campaign.pk}"
    for url in ["/brands/acme/", f"{mine}/", f"{mine}/edit/", f"{mine}/claims.csv",
                "/brands/acme/new/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    # Through their own brand's addresses, with the other brand's ids:
    for url, data in [
        (f"/brands/rival/{campaign.pk}/", None),
        (f"/brands/rival/{campaign.pk}/move/", {"move": "pause"}),
        (f"/brands/rival/{campaign.pk}/codes/", upload),
        (f"/brands/rival/{campaign.pk}/claims/{claim.pk}/ship/", {"tracking": "x"}),
        (f"/brands/rival/{campaign.pk}/edit/", FORM),
        (f"/brands/acme/{campaign.pk}/move/", {"move": "pause"}),
    ]:
        response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 404, url
    campaign.refresh_from_db()
    assert (campaign.status, campaign.title, Code.objects.filter(code="Z").exists()) == (
        "active", "Early screening", False,
    )  # fmt: skip
    assert Claim.objects.get().status == "confirmed"


def test_a_brand_chooses_its_address_unless_another_has_it(client, brand):
    client.force_login(UserFactory(password=None))

    taken = client.post("/brands/", {"name": "Rival", "slug": "acme"})
    chosen = client.post("/brands/", {"name": "Rival", "slug": "Rival-Shop"})

    assert "Another brand has this address" in taken.content.decode()
    assert chosen.url == "/brands/rival-shop/"
    assert sorted(Brand.objects.values_list("slug", flat=True)) == ["acme", "rival-shop"]


@pytest.mark.parametrize(("name", "slug"), [("Acme", "acme-2"), ("!!!", "brand")])
def test_a_brand_name_taken_or_without_letters_still_gets_an_address(client, brand, name, slug):
    client.force_login(UserFactory(password=None))

    response = client.post("/brands/", {"name": name})

    assert response.url == f"/brands/{slug}/"


def test_the_estimate_names_what_is_wrong_in_the_targeting(client, brand):
    client.force_login(member(brand, Role.MANAGER))

    response = client.post("/brands/acme/estimate/", {"min_score": "40", "countries": "USA"})

    assert "Countries: Not a country code: USA." in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["=HYPERLINK(1)", " =1+1", "\u00a0@SUM(A1)", "\u200b+1", "\ufeff-1", "\uff1dHYPERLINK(1)",
     "\u3000\uff0b1", "\tx"],
)  # fmt: skip
def test_the_export_quotes_what_a_spreadsheet_would_run(client, brand, live_campaign, name):
    campaign = live_campaign()
    claimant = person_of(display_name="Someone")
    Person.objects.filter(pk=claimant.pk).update(display_name=name)  # as an old row may hold
    claim_create(user=claimant.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
    client.force_login(member(brand, Role.VIEWER))

    exported = client.get(f"/brands/acme/{campaign.pk}/claims.csv").content.decode()

    assert next(iter(csv.DictReader(io.StringIO(exported))))["name"] == "'" + name


@pytest.mark.parametrize(("role", "sees"), [(Role.VIEWER, False), (Role.MANAGER, True)])
def test_shipping_addresses_are_for_those_who_ship(client, brand, live_campaign, role, sees):
    campaign = live_campaign(perk_type="product", codes=0, needs_address=True)
    claimant = person_of()
    request = ClaimRequest("k", address="12 Hidden Lane, Springfield")
    claim_create(user=claimant.owner, campaign_id=campaign.pk, request=request)
    client.force_login(member(brand, role))

    page = client.get(f"/brands/acme/{campaign.pk}/").content.decode()
    exported = client.get(f"/brands/acme/{campaign.pk}/claims.csv").content.decode()
    listed = client.get(f"/api/v1/brands/acme/campaigns/{campaign.pk}/claims/").json()

    assert ("12 Hidden Lane" in page) is sees
    assert next(csv.DictReader(io.StringIO(exported)))["address"] == (
        "12 Hidden Lane, Springfield" if sees else ""
    )
    assert listed["results"][0]["address"] == ("12 Hidden Lane, Springfield" if sees else "")
