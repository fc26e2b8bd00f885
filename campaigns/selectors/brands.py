"""What brand pages read, always through the user's memberships: a brand the user is not a
member of is, to them, a brand that does not exist."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from campaigns.models import (
    HOLDING,
    Brand,
    Campaign,
    Claim,
    ClaimStatus,
    Invitation,
    Membership,
    Role,
)
from campaigns.selectors.targeting import Target, targeted_people
from marketplace.models import ApiKey, ApiScope, User
from scoring.models import Interaction, Post


def memberships_of(*, user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user).select_related("brand").order_by("brand__name")
    )


def brand_of(*, user: User, slug: str) -> tuple[Brand, Role] | None:
    membership = Membership.objects.filter(user=user, brand__slug=slug).select_related("brand")
    found = membership.first()
    return (found.brand, Role(found.role)) if found else None


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


CONVERSATION_POSTS = 20


@dataclass(frozen=True)
class Conversation:
    """What claimants posted about the campaign after claiming: posts that name its hashtag
    or the brand's handle, the most engaging first, with the engagement each received."""

    terms: list[str]  # what was looked for
    posts: list[tuple[Post, int]]  # with their engagement
    total_posts: int
    total_engagement: int
    people: int  # distinct people who engaged


def conversation_of(*, campaign: Campaign) -> Conversation:
    """Three queries: the posts, their engagement, and the people behind it."""
    terms = [term for term in (campaign.hashtag, campaign.brand.handle) if term]
    if not terms:
        return Conversation(terms, [], 0, 0, 0)
    after_claim = Claim.objects.filter(
        campaign=campaign,
        status__in=HOLDING,
        person=OuterRef("handle__person"),
        created_at__lte=OuterRef("published_at"),
    )
    named = Q()
    for term in terms:
        named |= Q(text__icontains=term)
    claimants = campaign.claims.filter(status__in=HOLDING).values("person")
    posts = {
        post.pk: post
        for post in Post.objects.filter(handle__person__in=claimants)
        .filter(named, Exists(after_claim))
        .select_related("handle")
    }
    engagement = Interaction.objects.filter(
        post_id__in=list(posts), occurred_at__gte=campaign.starts_at
    )
    counts = dict(engagement.values("post").annotate(n=Count("*")).values_list("post", "n"))
    people = engagement.values("actor__person").distinct().count() if posts else 0
    ranked = sorted(posts.values(), key=lambda post: (-counts.get(post.pk, 0), -post.pk))
    return Conversation(
        terms,
        [(post, counts.get(post.pk, 0)) for post in ranked[:CONVERSATION_POSTS]],
        len(posts),
        sum(counts.values()),
        people,
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
