"""What brand pages read, always through the user's memberships: a brand the user is not a
member of is, to them, a brand that does not exist."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from campaigns.models import (
    HOLDING,
    Brand,
    Campaign,
    Claim,
    ClaimStatus,
    Invitation,
    Membership,
)
from campaigns.selectors.targeting import Target, targeted_people
from marketplace.models import ApiKey, ApiScope, User
from scoring.selectors.conversation import Conversation, conversation_naming


def memberships_of(*, user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user).select_related("brand").order_by("brand__name")
    )


def members_of(*, brand: Brand) -> list[Membership]:
    return list(brand.memberships.select_related("user").order_by("user__email"))


def keys_of(*, brand: Brand) -> list[ApiKey]:
    """The brand's live API keys, newest first."""
    keys = ApiKey.objects.filter(brand_id=brand.pk, scope=ApiScope.BRAND_WRITE, revoked_at=None)
    return list(keys.order_by("-created_at"))


def invitations_pending(*, brand: Brand) -> list[Invitation]:
    since = timezone.now() - Invitation.LIFETIME
    pending = brand.invitations.filter(accepted_at=None, created_at__gt=since)
    return list(pending.order_by("-created_at"))


def invitation_of(*, token: str) -> Invitation | None:
    return Invitation.objects.filter(token=token).select_related("brand", "invited_by").first()


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
    viewed: int
    claimed: int
    fulfilled: int


def funnel_of(*, campaign: Campaign) -> Funnel:
    reached = campaign.eligibility.aggregate(
        eligible=Count("pk"),
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
        viewed=Count("pk", filter=Q(viewed_at__isnull=False)),
    )
    held = campaign.claims.aggregate(
        claimed=Count("pk", filter=Q(status__in=HOLDING)),
        fulfilled=Count("pk", filter=Q(status=ClaimStatus.FULFILLED)),
    )
    return Funnel(**reached, **held)


def conversation_of(*, campaign: Campaign) -> Conversation:
    """What claimants posted about the campaign after claiming: posts that name its hashtag
    or the brand's handle, with the engagement each received since it started."""
    claimants = campaign.claims.filter(status__in=HOLDING).values("person", since=F("created_at"))
    return conversation_naming(
        terms=[term for term in (campaign.hashtag, campaign.brand.handle) if term],
        authors=claimants,
        engaged_since=campaign.starts_at,
    )


def claims_of(*, campaign: Campaign) -> QuerySet[Claim]:
    """The campaign's claims, latest first, with what the brand needs to fulfil them."""
    return campaign.claims.select_related("person", "tier", "code", "user", "slot").order_by(
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
