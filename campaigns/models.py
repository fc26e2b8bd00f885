"""Brands, their perk campaigns, who qualifies for them and who claimed (words as in
docs/ARCHITECTURE.md)."""

import secrets
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from marketplace.models import BaseModel
from scoring.models import Person, Topic


class Brand(BaseModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    website = models.URLField(max_length=500, blank=True)
    handle = models.CharField(
        max_length=100,
        blank=True,
        help_text="Its own handle, e.g. @voltmotors: claimants mention it.",
    )
    logo = models.ImageField(upload_to="brands/", blank=True, help_text="A WebP, 256 px at most.")
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff checked that the brand is who it says."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="brands"
    )

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """A member's role in a brand, declared from most to least: each allows all that the
    ones below it allow."""

    OWNER = "owner", "Owner"  # everything, members included
    MANAGER = "manager", "Manager"  # campaigns and claims
    VIEWER = "viewer", "Viewer"  # reads only

    def includes(self, other: "Role") -> bool:
        """Whether this role allows all that `other` allows."""
        ranked = list(Role)
        return ranked.index(self) <= ranked.index(other)


class Membership(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["brand", "user"], name="membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.brand_id}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(BaseModel):
    """An owner asking someone, by e-mail address, to join the brand in a role."""

    LIFETIME = timedelta(days=14)

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=40, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} to {self.brand_id} as {self.role}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + self.LIFETIME


class PerkType(models.TextChoices):
    CODE = "code", "Digital code"
    PRODUCT = "product", "Shipped product"
    EXPERIENCE = "experience", "Experience"
    DISCOUNT = "discount", "Discount"


class BuilderStep(models.TextChoices):
    """The parts of a campaign the builder asks for, one page each, in this order."""

    OFFER = "offer", "The offer"
    AUDIENCE = "audience", "Who qualifies"
    CLAIMING = "claiming", "How to claim"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    REJECTED = "rejected", "Rejected"
    SCHEDULED = "scheduled", "Approved, starts later"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


SCORE_RANGE = [MinValueValidator(1), MaxValueValidator(100)]


class Campaign(BaseModel):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(max_length=200)
    description = models.TextField()
    image = models.ImageField(
        upload_to="campaigns/", blank=True, help_text="A WebP, 1200 × 630 px at most."
    )
    perk_type = models.CharField(max_length=12, choices=PerkType.choices)
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Units on offer."
    )
    # Moves with F() in one conditional UPDATE per claim; the check is the last line of defence.
    taken = models.PositiveIntegerField(default=0, editable=False, help_text="Units claimed.")
    min_score = models.PositiveSmallIntegerField(
        validators=SCORE_RANGE, help_text="People scoring at least this."
    )
    max_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_RANGE, help_text="and at most."
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="+", help_text="Any of them; none means any topic."
    )
    countries = models.JSONField(
        default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes; none means anywhere."
    )
    cities = models.JSONField(default=list, blank=True, help_text="Places, as people write them.")
    hashtag = models.CharField(max_length=100, blank=True, help_text="What claimants post.")
    questions = models.JSONField(default=list, blank=True, help_text="Asked when claiming.")
    needs_address = models.BooleanField(default=False, help_text="Claimants give one.")
    disclosure = models.TextField(
        blank=True, help_text="A reminder claimants accept, e.g. to say the perk was a gift."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    review_note = models.CharField(max_length=500, blank=True, help_text="Why it was rejected.")
    paused_by_staff = models.BooleanField(default=False, help_text="Only staff may resume it.")
    eligibility_refreshed_at = models.DateTimeField(
        null=True, blank=True, help_text="When its eligible people were last found and told."
    )
    steps_saved = models.JSONField(
        default=list,
        blank=True,
        help_text="The builder's steps the brand has saved (BuilderStep); a campaign written "
        "whole, through the API, has them all.",
    )

    class Meta:
        permissions: ClassVar = [
            ("review_campaign", "Can approve, reject, pause and resume campaigns"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(taken__lte=F("quantity")), name="never_oversold"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="ends_after",
                violation_error_message="A campaign ends after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(max_score__isnull=True) | Q(max_score__gte=F("min_score")),
                name="score_band",
                violation_error_message="The top of the score band is below its bottom.",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["status", "ends_at"], name="campaign_live")]

    def __str__(self) -> str:
        return self.title

    @property
    def left(self) -> int:
        return self.quantity - self.taken


class Tier(models.Model):
    """A score band of a campaign with its own offer: from `min_score` up to the next tier."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tiers")
    min_score = models.PositiveSmallIntegerField()
    offer = models.CharField(max_length=200, help_text="e.g. 20 % off.")

    class Meta:
        ordering = ("campaign", "min_score")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "min_score"], name="tier_band_once")
        ]

    def __str__(self) -> str:
        return f"{self.offer} from {self.min_score}"


class Slot(models.Model):
    """A date an experience takes place, for at most `capacity` claimants."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    taken = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ("campaign", "starts_at")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="slot_not_overbooked"
            ),
            models.UniqueConstraint(fields=["campaign", "starts_at"], name="slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def left(self) -> int:
        return self.capacity - self.taken


CODE_LENGTH = 200


class Code(models.Model):
    """One code of a campaign's pool; handed to one claim."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_LENGTH)
    claim = models.OneToOneField(
        "Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="code"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "code"], name="code_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["campaign"], condition=Q(claim=None), name="code_free")
        ]

    def __str__(self) -> str:
        return self.code


class Eligibility(models.Model):
    """A person who qualifies (or qualified) for a campaign, at a tier, and whether they have
    been told. Refreshed after every scoring run."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="eligibility")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey(Tier, on_delete=models.SET_NULL, null=True, blank=True)
    since = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True, help_text="First opened the perk.")
    lost_at = models.DateTimeField(
        null=True, blank=True, help_text="When they fell out of the target before claiming."
    )

    class Meta:
        verbose_name_plural = "eligibility"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "person"], name="eligible_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.campaign_id}"


class ClaimStatus(models.TextChoices):
    RESERVED = "reserved", "Reserved"
    CONFIRMED = "confirmed", "Confirmed"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


HOLDING = (ClaimStatus.RESERVED, ClaimStatus.CONFIRMED, ClaimStatus.FULFILLED)


class Claim(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="claims")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tier = models.ForeignKey(Tier, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    idempotency_key = models.CharField(max_length=100)
    answers = models.JSONField(default=dict, blank=True)
    address = models.TextField(blank=True)
    tracking = models.CharField(max_length=200, blank=True, help_text="Shipping tracking number.")
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    reserved_until = models.DateTimeField(
        null=True, blank=True, help_text="A unit held for someone from the waitlist until then."
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(status__in=HOLDING),
                name="one_claim_a_person",
            ),
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="claim_request_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.campaign_id}: {self.status}"


class WaitlistEntry(models.Model):
    """Someone who qualified when the perk had sold out: released units go to the waitlist
    in the order people joined it, each held for them for a while."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="waitlist")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True, help_text="When a unit was held.")

    class Meta:
        verbose_name_plural = "waitlist entries"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "person"], name="waiting_once")
        ]
        indexes: ClassVar = [
            models.Index(
                fields=["campaign", "joined_at"], condition=Q(offered_at=None), name="waiting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} waiting for {self.campaign_id}"
