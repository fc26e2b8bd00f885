"""A campaign's units and codes: every change to them is here, each one statement that holds
under concurrency."""

from django.db.models import F
from django.utils import timezone

from campaigns.errors import SoldOut
from campaigns.models import Campaign, CampaignStatus, Claim, Code, PerkType


def unit_take(campaign: Campaign) -> None:
    """One unit of a live campaign, or SoldOut. One conditional UPDATE: concurrent takers
    queue on the row, and the never_oversold check stands behind it."""
    now = timezone.now()
    took = Campaign.objects.filter(
        pk=campaign.pk,
        status=CampaignStatus.ACTIVE,
        starts_at__lte=now,
        ends_at__gt=now,
        taken__lt=F("quantity"),
    ).update(taken=F("taken") + 1)
    if not took:
        raise SoldOut()


def unit_return(campaign_id: int) -> None:
    Campaign.objects.filter(pk=campaign_id).update(taken=F("taken") - 1)


def code_take(campaign: Campaign, claim: Claim) -> Code | None:
    """A free code of the pool for the claim (None for perks without codes), or SoldOut:
    SKIP LOCKED lets concurrent claims take different codes without waiting."""
    if campaign.perk_type != PerkType.CODE:
        return None
    code = (
        Code.objects.select_for_update(skip_locked=True)
        .filter(campaign=campaign, claim=None)
        .order_by("pk")
        .first()
    )
    if code is None:
        raise SoldOut()  # every code handed out: the caller's transaction gives the unit back
    Code.objects.filter(pk=code.pk).update(claim=claim)
    code.claim = claim
    return code


def code_return(claim: Claim) -> None:
    """The code of a claim that was held but never shown (an expired reservation)."""
    Code.objects.filter(claim=claim).update(claim=None)
