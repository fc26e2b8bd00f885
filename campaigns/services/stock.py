"""A campaign's units and codes: every change to them is here, each one statement that holds
under concurrency."""

from django.db.models import F
from django.utils import timezone

from campaigns.errors import SoldOut
from campaigns.lock_objects import free_code_lock
from campaigns.models import Campaign, CampaignStatus, Claim, Code, PerkType, Slot
from marketplace.errors import ApplicationError

PICK_A_DATE = "Please pick a date."
DATE_GONE = "That date is full or gone: please pick another."


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
    """A free code of the pool for the claim (None for perks without codes), or SoldOut."""
    if campaign.perk_type != PerkType.CODE:
        return None
    code = free_code_lock(campaign)
    if code is None:
        raise SoldOut()  # every code handed out: the caller's transaction gives the unit back
    Code.objects.filter(pk=code.pk).update(claim=claim)
    code.claim = claim
    return code


def code_return(claim: Claim) -> None:
    """The code of a claim that was held but never shown (an expired reservation)."""
    Code.objects.filter(claim=claim).update(claim=None)


def slot_take(campaign: Campaign, slot_id: int | None) -> Slot | None:
    """A place on one of the experience's dates (None for perks without dates), taken as a
    unit is: one conditional UPDATE."""
    slots = Slot.objects.filter(campaign=campaign)
    if slot_id is None:
        if slots.exists():
            raise ApplicationError(PICK_A_DATE)
        return None
    took = slots.filter(pk=slot_id, taken__lt=F("capacity")).update(taken=F("taken") + 1)
    if not took:
        raise ApplicationError(DATE_GONE)
    return slots.get(pk=slot_id)


def slot_return(claim: Claim) -> None:
    if claim.slot_id is not None:
        Slot.objects.filter(pk=claim.slot_id).update(taken=F("taken") - 1)
