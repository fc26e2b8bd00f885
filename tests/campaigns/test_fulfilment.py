"""A product's claims fulfilled from a file of tracking numbers: all of them, each claimant
told, or with a problem none, every problem named by its line."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.errors import RoleTooLow, TrackingFileError
from campaigns.models import Brand, Campaign, Claim, ClaimStatus, Membership, Role
from campaigns.services.claims import ClaimRequest, claim_create, claim_fulfil
from campaigns.services.fulfilment import MAX_FILE_BYTES, MAX_SHIPMENTS, claims_fulfil_from_file
from marketplace.errors import ApplicationError
from marketplace.models import Notification
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member_of(brand, role=Role.MANAGER):
    user = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=user, role=role)
    return user


@pytest.fixture
def product(live_campaign):
    """A shipped product's live campaign, with three confirmed claims: Ana's, Ben's, Cy's."""
    campaign = live_campaign(perk_type="product", codes=0)
    for name in ("Ana", "Ben", "Cy"):
        person = person_of(display_name=name)
        claim_create(user=person.owner, campaign_id=campaign.pk, request=ClaimRequest(name))
    return campaign


def claims_by_name(campaign):
    return {c.person.display_name: c for c in campaign.claims.select_related("person")}


def state(campaign):
    return sorted(campaign.claims.values_list("pk", "status", "tracking"))


def fulfil(brand, campaign, text, role=Role.MANAGER):
    data = text.encode() if isinstance(text, str) else text
    return claims_fulfil_from_file(actor=member_of(brand, role), campaign=campaign, data=data)


def test_a_file_of_claims_and_tracking_numbers_fulfils_them_and_tells_each(brand, product):
    claims = claims_by_name(product)
    ana, ben = claims["Ana"].pk, claims["Ben"].pk

    fulfilled = fulfil(brand, product, f"\ufeff{ana},1Z-ANA\r\n\r\n {ben} , 1Z-BEN \r\n")

    assert fulfilled == 2
    after = claims_by_name(product)
    assert [(after[n].status, after[n].tracking) for n in ("Ana", "Ben", "Cy")] == [
        ("fulfilled", "1Z-ANA"), ("fulfilled", "1Z-BEN"), ("confirmed", ""),
    ]  # fmt: skip
    assert after["Ana"].fulfilled_at is not None
    told = Notification.objects.filter(subject="Your perk from Acme: on its way")
    sent = "Acme has sent or given you “Early screening”. Its tracking number: {}."
    assert sorted((n.user_id, n.body) for n in told) == sorted(
        [(after[n].user_id, sent.format(f"1Z-{n.upper()}")) for n in ("Ana", "Ben")]
    )


def test_the_claims_export_comes_back_with_its_tracking_column_filled_in(brand, product):
    claims = claims_by_name(product)
    claim_fulfil(actor=member_of(brand), claim=claims["Cy"], tracking="1Z-CY")
    exported = (
        "claim,claimed_at,status,name,tracking,fulfilled_at\n"
        f"{claims['Ana'].pk},2026-01-01,confirmed,Ana,1Z-ANA,\n"
        f"{claims['Ben'].pk},2026-01-01,confirmed,Ben,,\n"  # not sent yet: passed over
        f"{claims['Cy'].pk},2026-01-01,fulfilled,Cy,1Z-CY,2026-01-02\n"  # sent before: left
    )
    told_before = Notification.objects.count()

    assert fulfil(brand, product, exported) == 1

    after = claims_by_name(product)
    assert [(after[n].status, after[n].tracking) for n in ("Ana", "Ben", "Cy")] == [
        ("fulfilled", "1Z-ANA"), ("confirmed", ""), ("fulfilled", "1Z-CY"),
    ]  # fmt: skip
    assert Notification.objects.count() == told_before + 1  # Ana only
    assert fulfil(brand, product, exported) == 0  # the same file again changes nothing
    assert Notification.objects.count() == told_before + 1


def test_a_spreadsheets_semicolons_are_read_as_its_columns(brand, product):
    ana = claims_by_name(product)["Ana"].pk

    assert fulfil(brand, product, f"Claim;Tracking\n{ana};1Z-ANA\n") == 1
    assert claims_by_name(product)["Ana"].tracking == "1Z-ANA"


def test_every_problem_is_named_by_its_line_and_nothing_is_fulfilled(brand, product, live_campaign):
    claims = claims_by_name(product)
    ana, ben, cy = (claims[n].pk for n in ("Ana", "Ben", "Cy"))
    Claim.objects.filter(pk=ben).update(status=ClaimStatus.CANCELLED)
    Claim.objects.filter(pk=cy).update(status=ClaimStatus.FULFILLED, tracking="OLD")
    elsewhere = live_campaign(perk_type="product", codes=0)
    theirs = claim_create(
        user=person_of().owner, campaign_id=elsewhere.pk, request=ClaimRequest("x")
    ).pk
    lines = [
        f"{ana},1Z-ANA",
        f"{ben},1Z-BEN",
        f"{cy},1Z-NEW",
        f"{theirs},1Z-THEIRS",
        "99999999999,1Z",
        f"{ana},1Z-AGAIN",
        "Ana,1Z",
        ",1Z",
        f"{ana}\x00,1Z",
        "9" * 40 + ",1Z",
        "١٢,1Z",  # Arabic-Indic digits are digits, but no claim's number
        f"{ana},1Z\x07",
        f"{ana}," + "X" * 201,
    ]
    before, told_before = state(product), Notification.objects.count()

    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, "\n".join(lines))

    assert refused.value.problems == [
        (6, f"claim {ana} is on line 1 too"),
        (7, "'Ana' is not a claim number"),
        (8, "no claim number"),
        (9, f"'{ana}\\x00' is not a claim number"),
        (10, "'" + "9" * 40 + "' is not a claim number"),
        (11, "'١٢' is not a claim number"),
        (12, "the tracking number holds a control character"),
        (13, "the tracking number is longer than 200 characters"),
    ]
    assert str(refused.value).startswith(f"No claim was marked fulfilled. line 6: claim {ana}")
    # Once each line reads well, what the claims allow is checked, all of them at once.
    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, "\n".join(lines[:5]))

    assert refused.value.problems == [
        (2, f"claim {ben} is cancelled"),
        (3, f"claim {cy} was fulfilled already, with tracking number 'OLD'"),
        (4, f"this campaign has no claim {theirs}"),
        (5, "this campaign has no claim 99999999999"),
    ]
    assert (state(product), Notification.objects.count()) == (before, told_before)
    assert Claim.objects.get(pk=theirs).status == "confirmed"


def test_a_unit_held_for_the_waitlist_is_not_yet_a_claim_to_fulfil(brand, product):
    ana = claims_by_name(product)["Ana"].pk
    Claim.objects.filter(pk=ana).update(status=ClaimStatus.RESERVED)

    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, f"{ana},1Z")

    assert refused.value.problems == [
        (1, f"claim {ana} is a unit held for someone on the waitlist, not claimed yet")
    ]


def test_a_tracking_number_over_the_limit_is_named(brand, product):
    ana = claims_by_name(product)["Ana"].pk

    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, f"{ana}," + "X" * 201)

    assert refused.value.problems == [(1, "the tracking number is longer than 200 characters")]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"1,\xed\xa0\x80\n", "The file is not UTF-8 text (byte 2)."),  # a lone surrogate
        (b"\xff\xfe1\x00,\x00", "The file is not UTF-8 text (byte 0)."),  # UTF-16
        (b"x" * (MAX_FILE_BYTES + 1), "The file is over 2 MB."),
        (b"1\n2\n", "The file gives no tracking number: fill in its tracking column."),
        (b"", "The file gives no tracking number: fill in its tracking column."),
        (
            "".join(f"{n},T{n}\n" for n in range(1, MAX_SHIPMENTS + 2)).encode(),
            "The file gives over 5,000 tracking numbers: send it in parts.",
        ),
    ],
)
def test_a_file_that_is_no_list_of_tracking_numbers_is_refused(brand, product, data, said):
    before = state(product)

    with pytest.raises(ApplicationError) as refused:
        fulfil(brand, product, data)

    assert refused.value.message == said
    assert state(product) == before


def test_a_field_past_the_csv_readers_limit_or_a_header_without_tracking_is_named(brand, product):
    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, '1,"' + "x" * 200_000 + '"\n')
    assert refused.value.problems == [(1, "unreadable (field larger than field limit (131072))")]
    with pytest.raises(TrackingFileError) as refused:
        fulfil(brand, product, "claim,name\n1,Ana\n")
    assert refused.value.problems == [(1, "the header has a claim column but no tracking column")]


def test_only_a_shipped_product_is_fulfilled_from_a_file(brand, live_campaign):
    campaign = live_campaign()  # a code perk
    claim = claim_create(user=person_of().owner, campaign_id=campaign.pk, request=ClaimRequest("k"))

    with pytest.raises(ApplicationError) as refused:
        fulfil(brand, campaign, f"{claim.pk},1Z")

    assert refused.value.message == "Only a shipped product has tracking numbers."
    assert Claim.objects.get().status == "confirmed"


def test_viewers_and_other_brands_cannot_fulfil(brand, product):
    ana = claims_by_name(product)["Ana"].pk
    rival = Brand.objects.create(name="Rival", slug="rival")
    before = state(product)

    with pytest.raises(RoleTooLow):
        fulfil(brand, product, f"{ana},1Z", role=Role.VIEWER)
    with pytest.raises(ApplicationError):
        claims_fulfil_from_file(
            actor=member_of(rival, Role.OWNER), campaign=product, data=f"{ana},1Z".encode()
        )

    assert state(product) == before


def test_a_file_fulfils_its_claims_in_a_fixed_number_of_queries(brand, live_campaign):
    campaign = live_campaign(perk_type="product", codes=0, quantity=40)
    claims = [
        claim_create(user=person_of().owner, campaign_id=campaign.pk, request=ClaimRequest(f"{n}"))
        for n in range(40)
    ]
    manager = member_of(brand)

    def queries(some):
        text = "".join(f"{claim.pk},T{claim.pk}\n" for claim in some)
        with CaptureQueriesContext(connection) as done:
            claims_fulfil_from_file(actor=manager, campaign=campaign, data=text.encode())
        return len(done)

    assert queries(claims[:2]) == queries(claims[2:])
    assert Campaign.objects.get().claims.filter(status="fulfilled").count() == 40
