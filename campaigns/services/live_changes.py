"""What a brand may still change once its campaign is approved: more units on offer and a
later end (pausing and resuming are lifecycle's). Each is one conditional UPDATE of the
campaign's row, which only ever grows the offer: the people already told keep what they
were told."""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.template.defaultfilters import pluralize
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, PerkType, Role
from campaigns.selectors.roles import Actor, role_require
from campaigns.services.waitlist import units_release
from marketplace.errors import ApplicationError

APPROVED = (CampaignStatus.SCHEDULED, CampaignStatus.ACTIVE, CampaignStatus.PAUSED)
MOST_UNITS = 1_000_000  # a campaign's whole offer, at most
NOT_APPROVED = "Only an approved campaign that has not ended changes this way."


@transaction.atomic
def campaign_stock_add(*, actor: Actor, campaign: Campaign, units: int) -> None:
    """`units` more on offer. A code perk needs a code for each, an experience a place on
    its dates; units come back to the waitlist first, as a cancelled claim's would."""
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    if not 1 <= units <= MOST_UNITS:
        said = f"Add from 1 to {MOST_UNITS:,} units."
        raise ApplicationError(said, fields={"units": said})
    grown = campaign.quantity + units
    if grown > MOST_UNITS:
        raise ApplicationError(f"A campaign offers {MOST_UNITS:,} units at most.")
    if campaign.perk_type == PerkType.CODE and campaign.codes.count() < grown:
        raise ApplicationError(
            f"Upload codes first: {grown} unit{pluralize(grown)} need as many codes, and the "
            f"pool has {campaign.codes.count()}."
        )
    places = campaign.slots.aggregate(places=Sum("capacity"))["places"]
    if places is not None and places < grown:
        raise ApplicationError(f"Its dates have {places} places: fewer than {grown} units.")
    grew = Campaign.objects.filter(
        pk=campaign.pk, status__in=APPROVED, quantity=campaign.quantity
    ).update(quantity=F("quantity") + units)
    if not grew:
        raise ApplicationError(f"{NOT_APPROVED} (Or it changed meanwhile: look again.)")
    campaign.quantity = grown
    if campaign.status == CampaignStatus.ACTIVE:
        units_release(campaign_id=campaign.pk)


@transaction.atomic
def campaign_end_extend(*, actor: Actor, campaign: Campaign, ends_at: datetime) -> None:
    """The campaign ends later than it does now, never sooner."""
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    moved = Campaign.objects.filter(
        pk=campaign.pk, status__in=APPROVED, ends_at__lt=ends_at
    ).update(ends_at=ends_at)
    if not moved:
        campaign.refresh_from_db(fields=["status", "ends_at"])
        if campaign.status not in APPROVED:
            raise ApplicationError(NOT_APPROVED)
        ends = timezone.localtime(campaign.ends_at)
        said = f"It ends on {ends:%-d %B %Y at %H:%M %Z}: choose a later end."
        raise ApplicationError(said, fields={"ends_at": said})
    campaign.ends_at = ends_at
