"""What brand pages read, always through the user's memberships: a brand the user is not a
member of is, to them, a brand that does not exist."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
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
from scoring.models import Person
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


@dataclass(frozen=True)
class Day:
    """What one day of a campaign brought."""

    day: date
    claims: int  # made that day, and held still
    fulfilled: int
    posts: int  # of the conversation, published that day
    engagement: int  # that the conversation's posts received that day


def days_of(*, campaign: Campaign, conversation: Conversation, now: datetime) -> list[Day]:
    """The campaign's results day by day, from its first day to today or its last, whichever
    comes first (none before it starts): two queries, the conversation being read already."""
    first = timezone.localdate(campaign.starts_at)
    last = min(timezone.localdate(now), timezone.localdate(campaign.ends_at))
    if last < first:
        return []
    claims = campaign.claims.filter(status__in=HOLDING)
    made = _by_day(claims, "created_at")
    fulfilled = _by_day(claims.filter(fulfilled_at__isnull=False), "fulfilled_at")
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [
        Day(
            day,
            made.get(day, 0),
            fulfilled.get(day, 0),
            conversation.posts_by_day[day],
            conversation.engagement_by_day[day],
        )
        for day in days
    ]


def _by_day(claims: QuerySet[Claim], moment: str) -> dict[date, int]:
    by_day = claims.values(day=TruncDate(moment)).annotate(n=Count("pk"))
    return dict(by_day.values_list("day", "n"))


LEFT_SWAY = "a person who left Sway"


def claimant_name(person: Person) -> str:
    """How a claim names its claimant to the brand: a person who has left Sway by neither a
    name nor the public id that would lead to them."""
    return LEFT_SWAY if person.opted_out else str(person)


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
