"""What brand pages read, always through the user's memberships: a brand the user is not a
member of is, to them, a brand that does not exist."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from campaigns.models import HOLDING, Brand, Campaign, Claim, ClaimStatus, Membership, Role
from campaigns.selectors import Target, targeted_people
from marketplace.models import User


def memberships_of(*, user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user).select_related("brand").order_by("brand__name")
    )


def brand_of(*, user: User, slug: str) -> tuple[Brand, Role] | None:
    membership = Membership.objects.filter(user=user, brand__slug=slug).select_related("brand")
    found = membership.first()
    return (found.brand, Role(found.role)) if found else None


def campaigns_of(*, brand: Brand) -> QuerySet[Campaign]:
    return brand.campaigns.annotate(
        claims_held=Count("claims", filter=Q(claims__status__in=HOLDING))
    ).order_by("-created_at")


def campaign_of(*, brand: Brand, pk: int) -> Campaign | None:
    return brand.campaigns.filter(pk=pk).first()


@dataclass(frozen=True)
class Funnel:
    eligible: int
    notified: int
    claimed: int
    fulfilled: int


def funnel_of(*, campaign: Campaign) -> Funnel:
    reached = campaign.eligibility.aggregate(
        eligible=Count("pk"), notified=Count("pk", filter=Q(notified_at__isnull=False))
    )
    held = campaign.claims.aggregate(
        claimed=Count("pk", filter=Q(status__in=HOLDING)),
        fulfilled=Count("pk", filter=Q(status=ClaimStatus.FULFILLED)),
    )
    return Funnel(reached["eligible"], reached["notified"], held["claimed"], held["fulfilled"])


def claims_of(*, campaign: Campaign) -> QuerySet[Claim]:
    """The campaign's claims, latest first, with what the brand needs to fulfil them."""
    return campaign.claims.select_related("person", "tier", "code", "user").order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class Estimate:
    people: int  # in the target now
    reachable: int  # of them, with a Sway account: told and able to claim


def estimate(*, target: Target) -> Estimate:
    counts = targeted_people(target).aggregate(
        people=Count("pk"), reachable=Count("pk", filter=Q(owner__isnull=False))
    )
    return Estimate(counts["people"], counts["reachable"])
