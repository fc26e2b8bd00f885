"""What the campaign builder reads: the draft's perk as a member in its target will see it,
and whom it reaches now, before it is submitted."""

from dataclasses import replace

from campaigns.claim_rules import Standing
from campaigns.models import Campaign
from campaigns.selectors.brands import Estimate, estimate
from campaigns.selectors.perks import PerkPage, perk_preview
from campaigns.selectors.targeting import Target


def member_preview(*, campaign: Campaign) -> PerkPage:
    """The perk as a member at its lowest score reads it once it is live: in its target,
    offered the first tier, free to claim. `campaign.brand` must be loaded."""
    page = perk_preview(campaign=campaign)
    first = page.bands[0].tier if page.bands else None
    return replace(page, tier=first, standing=Standing(left=campaign.left, in_target=True))


def reach_of(*, campaign: Campaign) -> Estimate:
    """How many people its targeting takes in now, and how many of them can be told."""
    return estimate(target=Target.of(campaign))
