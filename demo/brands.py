"""Two demo brands with live campaigns on the demo world, and two demo accounts to try them:
a brand owner, and a person whose profile (its handles verified) qualifies for both perks:
Volt's experience, on four weekends, for people influential about sustainability; Gilt's
discount, tiered by score, for anyone scoring 10 or more."""

import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from campaigns.eligibility import eligibility_refresh
from campaigns.models import (
    Brand,
    Campaign,
    CampaignStatus,
    Code,
    Membership,
    PerkType,
    Role,
    Slot,
    Tier,
)
from campaigns.selectors.targeting import Target, targeted_people
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.models import ApiKey, ApiScope, User
from marketplace.pictures import BANNER_BOX, LOGO_BOX, picture_assign, picture_from_upload
from scoring.models import Handle, Person, Topic, Verification
from scoring.services.verification import handle_verify

BRAND_OWNER = "brand@sway.localhost"
MEMBER = "member@sway.localhost"
DEMO_KEY = "Demo partner"
DEMO_ACCOUNTS = "demo_"  # how the demo world's showcase accounts (demo_genuine …) begin


@dataclass(frozen=True)
class DemoCampaign:
    brand: str
    slug: str
    title: str
    description: str
    perk_type: PerkType
    quantity: int
    min_score: int
    topics: tuple[str, ...]
    tiers: tuple[tuple[int, str], ...] = ()
    weekends: int = 0  # an experience's dates: the next Saturdays, at 10:00 UTC
    questions: tuple[str, ...] = ()
    disclosure: str = ""
    hashtag: str = ""
    colour: str = "#444"  # of its logo and image


CAMPAIGNS = (
    DemoCampaign(
        "Volt Motors",
        "volt-motors",
        "Drive the Volt for three days",
        "An electric car at your door for a long weekend, for people whose posts about "
        "sustainability move others.",
        PerkType.EXPERIENCE,
        20,
        30,
        ("electric-vehicles", "sustainability", "climate-change", "renewable-energy"),
        weekends=4,
        questions=("Which city would you pick it up in?",),
        disclosure="Say that Volt Motors lent you the car when you post about it.",
        hashtag="#VoltDays",
        colour="#0b6e4f",
    ),
    DemoCampaign(
        "Gilt",
        "gilt",
        "Members' sale: the better your score, the bigger the discount",
        "A discount code for Gilt's winter sale, from 20 % off to everything free.",
        PerkType.CODE,
        300,
        10,
        (),
        tiers=((10, "20 % off"), (41, "50 % off"), (81, "100 % off")),
        hashtag="#GiltSale",
        colour="#9a6b12",
    ),
)


@dataclass(frozen=True)
class DemoAccounts:
    password: str  # of both accounts, new at each run
    created: bool  # the brands and campaigns were made by this run
    api_key: str  # a read key for the API, new at each run (the last one is revoked)


@transaction.atomic
def demo_campaigns_seed(*, now: datetime) -> DemoAccounts:
    password = secrets.token_urlsafe(9)
    owner = _account(BRAND_OWNER, password)
    member = _account(MEMBER, password)
    created = not Brand.objects.filter(slug=CAMPAIGNS[0].slug).exists()
    if created:
        for demo in CAMPAIGNS:
            _create(demo, owner, now)
    volt = Campaign.objects.get(brand__slug=CAMPAIGNS[0].slug)
    if not Person.objects.filter(owner=member).exists():
        best = (
            targeted_people(Target.of(volt))
            .filter(owner=None)
            .exclude(handles__username_key__startswith=DEMO_ACCOUNTS)  # they stay unclaimed
            .order_by("-score")
            .first()
        )
        if best is not None:
            Person.objects.filter(pk=best.pk).update(owner=member)
    _verify_handles(member)
    for campaign in Campaign.objects.filter(brand__slug__in=[c.slug for c in CAMPAIGNS]):
        eligibility_refresh(campaign_id=campaign.pk)
    for old in ApiKey.objects.filter(name=DEMO_KEY, revoked_at=None):
        api_key_revoke(api_key=old)
    key = api_key_create(name=DEMO_KEY, scope=ApiScope.READ).key
    return DemoAccounts(password, created, key)


def _verify_handles(user: User) -> None:
    """The handles of the profile the user was given, verified as if they had proved each."""
    for handle in Handle.objects.filter(person__owner=user).exclude(
        verification=Verification.VERIFIED
    ):
        handle_verify(user=user, handle=handle)


def _account(email: str, password: str) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(email)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _create(demo: DemoCampaign, owner: User, now: datetime) -> None:
    brand = Brand(name=demo.brand, slug=demo.slug, verified_at=now)
    picture_assign(brand, "logo", _picture(demo.colour, demo.brand[0], LOGO_BOX))
    brand.save()
    Membership.objects.create(brand=brand, user=owner, role=Role.OWNER)
    campaign = Campaign(
        brand=brand,
        title=demo.title,
        description=demo.description,
        perk_type=demo.perk_type,
        quantity=demo.quantity,
        min_score=demo.min_score,
        questions=list(demo.questions),
        disclosure=demo.disclosure,
        hashtag=demo.hashtag,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
        status=CampaignStatus.ACTIVE,
    )
    picture_assign(campaign, "image", _picture(demo.colour, demo.hashtag, BANNER_BOX))
    campaign.save()
    campaign.topics.set(Topic.objects.filter(slug__in=demo.topics))
    Tier.objects.bulk_create(
        Tier(campaign=campaign, min_score=start, offer=offer) for start, offer in demo.tiers
    )
    saturday = now.date() + timedelta(days=(5 - now.weekday()) % 7 or 7)
    per_weekend = -(-demo.quantity // demo.weekends) if demo.weekends else 0
    Slot.objects.bulk_create(
        Slot(
            campaign=campaign,
            starts_at=datetime.combine(saturday + timedelta(weeks=n), time(10), tzinfo=UTC),
            capacity=per_weekend,
        )
        for n in range(demo.weekends)
    )
    if demo.perk_type == PerkType.CODE:
        Code.objects.bulk_create(
            Code(campaign=campaign, code=f"{demo.slug.upper()}-{secrets.token_hex(4).upper()}")
            for _ in range(demo.quantity)
        )


def _picture(colour: str, text: str, size: tuple[int, int]) -> ContentFile:
    """A plain picture for the demo: a colour with a word on it, as a brand would upload it."""
    image = Image.new("RGB", size, colour)
    font = ImageFont.load_default(size=min(size) // (3 if len(text) > 2 else 2))
    ImageDraw.Draw(image).text((size[0] / 2, size[1] / 2), text, "white", font, anchor="mm")
    upload = io.BytesIO()
    image.save(upload, "PNG")
    upload.seek(0)
    return picture_from_upload(upload, box=size)
