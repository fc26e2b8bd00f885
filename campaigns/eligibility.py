"""Who a live campaign is offered to, refreshed when it starts and after every scoring run.
Each newly eligible person is told once (in-app, and by e-mail if they want), in the same
transaction as the row that says they qualify; people who fell out of the target before
claiming lose the offer."""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.claim_rules import BARRING
from campaigns.lock_objects import eligibility_refresh_lock
from campaigns.models import Campaign, CampaignStatus, Claim, Eligibility
from campaigns.selectors.targeting import eligible_people, tier_for
from marketplace.models import Notification, NotificationKind, User
from marketplace.notifications import notifications_send_many


@dataclass(frozen=True)
class Refresh:
    offered: int  # told for the first time
    returned: int  # eligible again, told before
    lost: int


@transaction.atomic
def eligibility_refresh(*, campaign_id: int) -> Refresh:
    eligibility_refresh_lock(campaign_id)
    campaign = Campaign.objects.select_related("brand").get(pk=campaign_id)
    if campaign.status != CampaignStatus.ACTIVE:
        return Refresh(0, 0, 0)
    tiers = list(campaign.tiers.all())
    now = timezone.now()
    current = {
        pk: (score, User(pk=owner, email_perk_offers=wants_email))  # all a notification needs
        for pk, score, owner, wants_email in eligible_people(campaign).values_list(
            "pk", "score", "owner_id", "owner__email_perk_offers"
        )
    }
    rows = {row.person_id: row for row in Eligibility.objects.filter(campaign=campaign)}
    claimed = set(
        Claim.objects.filter(BARRING, campaign=campaign).values_list("person_id", flat=True)
    )
    new = [
        Eligibility(
            campaign=campaign, person_id=pk, tier=tier_for(tiers, score or 0), notified_at=now
        )
        for pk, (score, _) in current.items()
        if pk not in rows and pk not in claimed  # barred before being told: no offer
    ]
    Eligibility.objects.bulk_create(new, batch_size=5000)
    back = [row.pk for pk, row in rows.items() if pk in current and row.lost_at is not None]
    Eligibility.objects.filter(pk__in=back).update(lost_at=None)
    gone = [
        row.pk
        for pk, row in rows.items()
        if pk not in current and row.lost_at is None and pk not in claimed
    ]
    Eligibility.objects.filter(pk__in=gone).update(lost_at=now)
    _tell([current[row.person_id][1] for row in new], campaign)
    Campaign.objects.filter(pk=campaign_id).update(eligibility_refreshed_at=now)
    return Refresh(len(new), len(back), len(gone))


def _tell(users: list[User], campaign: Campaign) -> None:
    subject = f"A perk for you: {campaign.title}"
    body = f"{campaign.brand} offers a perk to people like you: {campaign.title}."
    url = reverse("campaigns:perk", args=[campaign.pk])
    notifications_send_many(
        notifications=[
            Notification(
                user=user, kind=NotificationKind.PERK_OFFER, subject=subject, body=body, url=url
            )
            for user in users
        ]
    )


def eligibility_refresh_all() -> int:
    """Every live campaign, each in its own transaction. Returns how many."""
    live = Campaign.objects.filter(status=CampaignStatus.ACTIVE).values_list("pk", flat=True)
    for campaign_id in live:
        eligibility_refresh(campaign_id=campaign_id)
    return len(live)


def offer_viewed(*, campaign_id: int, person_id: int) -> None:
    """The person opened the perk (the brand's funnel counts the first time)."""
    Eligibility.objects.filter(campaign_id=campaign_id, person_id=person_id, viewed_at=None).update(
        viewed_at=timezone.now()
    )
