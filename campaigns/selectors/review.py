"""What staff read to decide on a campaign: the perk as its members will see it, whom it
reaches, what it has to give and who stands behind it, in a fixed number of queries."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, Membership, PerkType, Slot
from campaigns.selectors.audience import Audience, audience
from campaigns.selectors.brands import members_of
from campaigns.selectors.perks import PerkPage, perk_preview
from campaigns.selectors.targeting import Target
from marketplace.models import User
from scoring.models import Topic


@dataclass(frozen=True)
class CodePool:
    free: int  # waiting for a claim
    used: int  # handed to a claim

    @property
    def size(self) -> int:
        return self.free + self.used


@dataclass(frozen=True)
class CampaignReview:
    campaign: Campaign  # with its brand
    perk: PerkPage  # as a member in its target reads it
    topics: list[Topic]  # the targeted topics members may see, by name
    hidden_topics: list[Topic]  # targeted, but pending, banned, merged or sensitive
    audience: Audience  # whom it reaches now, as its brand saw it while building it
    pool: CodePool | None  # a code perk's codes
    slots: list[Slot]  # an experience's dates, all of them, soonest first
    members: list[Membership]  # of the brand, with their users

    @property
    def decidable(self) -> bool:
        """Waiting for staff: approving or rejecting it is open."""
        return self.campaign.status == CampaignStatus.SUBMITTED

    @property
    def starts_later(self) -> bool:
        """Approved now, it would wait for its start."""
        return self.campaign.starts_at > timezone.now()


def campaign_review_of(*, pk: int) -> CampaignReview | None:
    """Everything staff weigh before approving the campaign; None when there is none."""
    campaign = Campaign.objects.select_related("brand").filter(pk=pk).first()
    if campaign is None:
        return None
    topics = list(Topic.objects.filter(pk__in=campaign.topics.all()).order_by("name"))
    return CampaignReview(
        campaign=campaign,
        perk=perk_preview(campaign=campaign),
        topics=[topic for topic in topics if topic.is_public],
        hidden_topics=[topic for topic in topics if not topic.is_public],
        audience=audience(target=Target.of(campaign)),
        pool=_pool(campaign) if campaign.perk_type == PerkType.CODE else None,
        slots=list(campaign.slots.order_by("starts_at")),
        members=members_of(brand=campaign.brand),
    )


def _pool(campaign: Campaign) -> CodePool:
    counts = campaign.codes.aggregate(
        free=Count("pk", filter=Q(claim=None)), used=Count("pk", filter=Q(claim__isnull=False))
    )
    return CodePool(counts["free"], counts["used"])


def may_decide(user: User | AnonymousUser) -> bool:
    """Deciding on campaigns (approve, reject, pause, resume) is its own permission: seeing
    them in the admin is not enough."""
    return user.has_perm("campaigns.review_campaign")
