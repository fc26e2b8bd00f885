"""Every lock that campaigns' writes take, and the order they take them in.

A transaction that takes several locks takes them in this order, never back up it, so that no
two transactions can each hold a lock the other waits for:

1. scoring's locks (scoring.lock_objects): a person's opt-out holds the person while it
   withdraws their claims (`claims_withdraw`, one of the PERSON_OPT_OUT_HOOKS)
2. a claim (`claim_lock`), before its campaign: cancelling one or letting one expire gives
   its unit back; several of a campaign's claims (`claims_lock`) in pk order
3. a campaign: `campaign_lock`, or the row lock of the one conditional UPDATE that takes or
   gives back a unit (campaigns.services.stock) or moves it along its life (lifecycle)
4. one of its dates (the conditional UPDATE of `slot_take` and `slot_return`)
5. its waitlist (`waitlist_first_lock`, SKIP LOCKED; a claimant's own place, deleted)
6. its codes (`free_code_lock`, SKIP LOCKED; `code_return`)

A new claim is written after its unit is taken: nobody waits for a row not yet written. A
refresh of a campaign's eligibility takes `eligibility_refresh_lock` first and writes the
campaign's row last. A brand's rows stand apart from all these: the brand (`brand_lock`); an
invitation (`invitation_lock`) before the membership it makes; a membership together with
its brand's owners, in pk order (`membership_and_owners_lock`).
"""

from collections.abc import Collection

from django.db import connection
from django.db.models import Q, QuerySet

from campaigns.models import (
    Brand,
    Campaign,
    Claim,
    Code,
    Invitation,
    Membership,
    Role,
    WaitlistEntry,
)

ELIGIBILITY_REFRESHES = 7001  # the namespace of the advisory locks of eligibility refreshes


def brand_lock(brand_id: int) -> Brand:
    return Brand.objects.select_for_update().get(pk=brand_id)


def invitation_lock(token: str) -> Invitation | None:
    return Invitation.objects.select_for_update().filter(token=token).first()


def membership_and_owners_lock(membership_id: int) -> tuple[Membership | None, list[int]]:
    """The membership (None if there is none) and the pks of its brand's owners, all locked
    together in pk order, so that two owners removing each other at once cannot each hold
    one row and wait for the other."""
    its_brand = Membership.objects.filter(pk=membership_id).values("brand_id")
    rows = Membership.objects.select_for_update().filter(
        Q(pk=membership_id) | Q(brand_id__in=its_brand, role=Role.OWNER)
    )
    locked = list(rows.order_by("pk"))
    membership = next((row for row in locked if row.pk == membership_id), None)
    return membership, [row.pk for row in locked if row.role == Role.OWNER]


def campaign_lock(campaign_id: int) -> QuerySet[Campaign]:
    """The campaign's row, locked when the queryset is read (narrowed further, maybe)."""
    return Campaign.objects.select_for_update().filter(pk=campaign_id)


def claim_lock(claim_id: int) -> QuerySet[Claim]:
    """The claim's row, locked when the queryset is read; never the rows joined to it."""
    return Claim.objects.select_for_update(of=("self",)).filter(pk=claim_id)


def claims_lock(campaign_id: int, claim_ids: Collection[int]) -> list[Claim]:
    """The campaign's claims of these ids, with their users, locked in pk order (the
    claims a file fulfils at once), so that two files naming the same claims queue."""
    claims = Claim.objects.select_for_update(of=("self",)).select_related("user")
    return list(claims.filter(campaign_id=campaign_id, pk__in=claim_ids).order_by("pk"))


def waitlist_first_lock(campaign: Campaign) -> WaitlistEntry | None:
    """The first person waiting for a unit of the campaign and not offered one yet, skipping
    those another transaction is offering one to."""
    return (
        WaitlistEntry.objects.select_for_update(skip_locked=True)
        .filter(campaign=campaign, offered_at=None)
        .order_by("joined_at", "pk")
        .first()
    )


def free_code_lock(campaign: Campaign) -> Code | None:
    """A code of the campaign's pool that nobody has, skipping those that concurrent claims
    are taking, so that they take different codes without waiting."""
    return (
        Code.objects.select_for_update(skip_locked=True)
        .filter(campaign=campaign, claim=None)
        .order_by("pk")
        .first()
    )


def eligibility_refresh_lock(campaign_id: int) -> None:
    """Refreshes of one campaign queue behind each other, while claims go on: a lock on the
    campaign's row would hold its claims back for the whole refresh. (SQLite lets one writer
    in at a time: nothing more is needed there.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [ELIGIBILITY_REFRESHES, campaign_id]
            )
