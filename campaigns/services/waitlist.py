"""The waitlist of a sold-out perk: people who qualify join it, and each unit given back
(a cancelled claim, an expired hold) is held for the first of them still in the target, who
has RESERVATION to take it up before it passes to the next."""

from datetime import datetime, timedelta
from uuid import uuid4

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.claim_rules import BARRING, Refusal, standing_of
from campaigns.errors import SoldOut
from campaigns.lock_objects import claim_lock, waitlist_first_lock
from campaigns.models import Campaign, Claim, ClaimStatus, WaitlistEntry
from campaigns.selectors.perks import live_campaigns, profile_of
from campaigns.selectors.targeting import eligible_people, tier_for
from campaigns.services.stock import code_return, code_take, unit_return, unit_take
from marketplace.errors import ApplicationError
from marketplace.models import NotificationKind, User
from marketplace.notifications import notification_send

RESERVATION = timedelta(hours=24)
HOLD_KEY_PREFIX = "waitlist-"  # the idempotency keys of held claims; claimants may not use it


@transaction.atomic
def waitlist_join(*, user: User, campaign_id: int) -> WaitlistEntry:
    """The user's place on a sold-out perk's waitlist (the same place if they ask again):
    for people whom nothing but its selling out keeps from claiming it."""
    campaign = live_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Refusal.NOT_ON_OFFER.error()
    person = profile_of(user=user)
    if person is None:
        raise Refusal.NOT_IN_TARGET.error()
    refusal = standing_of(campaign=campaign, person=person).refusal
    if refusal is None:
        raise ApplicationError("Units are left: claim one.")
    if refusal != Refusal.SOLD_OUT:
        raise refusal.error()
    entry, created = WaitlistEntry.objects.get_or_create(
        campaign=campaign, person=person, defaults={"user": user}
    )
    if not created and entry.offered_at is not None:  # a hold lapsed: back in the queue
        entry.offered_at, entry.joined_at = None, timezone.now()
        entry.save(update_fields=["offered_at", "joined_at"])
    return entry


def units_release(*, campaign_id: int) -> int:
    """Hold the campaign's free units for the first people waiting, in the caller's
    transaction. Returns how many were held."""
    campaign = Campaign.objects.select_related("brand").get(pk=campaign_id)
    held = 0
    while True:
        entry = waitlist_first_lock(campaign)
        if entry is None:
            return held
        person = eligible_people(campaign).filter(pk=entry.person_id, owner=entry.user).first()
        barred = Claim.objects.filter(BARRING, campaign=campaign, person=entry.person_id)
        if person is None or barred.exists():
            entry.delete()  # out of the target since, or barred from claiming: the turn passes
            continue
        try:
            with transaction.atomic():
                unit_take(campaign)
                claim = Claim.objects.create(
                    campaign=campaign,
                    person=person,
                    user=entry.user,
                    tier=tier_for(list(campaign.tiers.all()), person.score or 0),
                    status=ClaimStatus.RESERVED,
                    idempotency_key=f"{HOLD_KEY_PREFIX}{entry.pk}-{uuid4().hex[:8]}",
                    reserved_until=timezone.now() + RESERVATION,
                )
                code_take(campaign, claim)
        except SoldOut:
            return held
        entry.offered_at = timezone.now()
        entry.save(update_fields=["offered_at"])
        _tell(entry.user, campaign, claim)
        held += 1


def _tell(user: User, campaign: Campaign, claim: Claim) -> None:
    until = f"{claim.reserved_until:%-d %B, %H:%M} UTC" if claim.reserved_until else ""
    notification_send(
        user=user,
        kind=NotificationKind.PERK_CLAIM,
        subject=f"A unit of {campaign.title} is yours to take",
        body=f"A unit of “{campaign.title}” from {campaign.brand} came back, and you were "
        f"first on the waitlist. It is held for you until {until}: confirm it before then.",
        url=reverse("campaigns:perk", args=[campaign.pk]),
    )


def reservations_expire(*, now: datetime) -> int:
    """Units held too long go to the next on the waitlist. Returns how many expired."""
    expired = 0
    due = Claim.objects.filter(status=ClaimStatus.RESERVED, reserved_until__lte=now)
    for claim_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claim = claim_lock(claim_id).filter(status=ClaimStatus.RESERVED).first()
            if claim is None:
                continue  # confirmed or cancelled meanwhile
            claim.status = ClaimStatus.EXPIRED
            claim.save(update_fields=["status", "updated_at"])
            unit_return(claim.campaign_id)  # the campaign before its codes (lock_objects)
            code_return(claim)
            units_release(campaign_id=claim.campaign_id)
            expired += 1
    return expired
