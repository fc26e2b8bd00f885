"""A campaign's life: draft → submitted → scheduled or rejected → active ⇄ paused → ended.
Staff review and may pause any campaign; the brand submits, pauses and resumes its own."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from campaigns.errors import CampaignError
from campaigns.models import Campaign, CampaignStatus, PerkType, Role
from campaigns.services.brands import require_role
from marketplace.models import User

Status = CampaignStatus


def _move(campaign: Campaign, to: Status, allowed_from: tuple[Status, ...], note: str = "") -> None:
    """One conditional UPDATE, so that two moderators (or a moderator and the clock) cannot
    both move the campaign from the same state."""
    moved = Campaign.objects.filter(pk=campaign.pk, status__in=allowed_from).update(
        status=to, review_note=note
    )
    if not moved:
        campaign.refresh_from_db(fields=["status"])
        raise CampaignError(f"“{campaign}” is {campaign.get_status_display().lower()}.")
    campaign.status, campaign.review_note = to, note
    if to == Status.ACTIVE:
        from campaigns.tasks import eligibility_refresh_task

        campaign_id = campaign.pk
        transaction.on_commit(lambda: eligibility_refresh_task.delay(campaign_id))


@transaction.atomic
def campaign_submit(*, user: User, campaign: Campaign) -> None:
    require_role(user=user, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    if campaign.perk_type == PerkType.CODE and campaign.codes.count() < campaign.quantity:
        raise CampaignError(
            f"Upload at least {campaign.quantity} codes first: one for each unit on offer."
        )
    _move(campaign, Status.SUBMITTED, (Status.DRAFT, Status.REJECTED))


@transaction.atomic
def campaign_review(*, campaign: Campaign, approve: bool, note: str = "", now: datetime) -> None:
    """Staff approve (it starts at its start) or reject it, saying why."""
    if not approve:
        if not note.strip():
            raise CampaignError("Say why the campaign is rejected: the brand reads it.")
        _move(campaign, Status.REJECTED, (Status.SUBMITTED,), note.strip())
        return
    if campaign.ends_at <= now:
        raise CampaignError(f"“{campaign}” ended on {campaign.ends_at:%Y-%m-%d}.")
    started = campaign.starts_at <= now
    _move(campaign, Status.ACTIVE if started else Status.SCHEDULED, (Status.SUBMITTED,))


@transaction.atomic
def campaign_pause(*, campaign: Campaign, user: User | None = None) -> None:
    """Stop claims for now. `user` None: staff, who may pause any campaign."""
    if user is not None:
        require_role(user=user, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    _move(campaign, Status.PAUSED, (Status.ACTIVE, Status.SCHEDULED))


@transaction.atomic
def campaign_resume(*, campaign: Campaign, now: datetime, user: User | None = None) -> None:
    if user is not None:
        require_role(user=user, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    _move(
        campaign, Status.ACTIVE if campaign.starts_at <= now else Status.SCHEDULED, (Status.PAUSED,)
    )


def campaigns_advance(*, now: datetime) -> tuple[int, int]:
    """Start the scheduled campaigns whose time came and end those whose time is up.
    Returns (started, ended)."""
    due = Campaign.objects.filter(status=Status.SCHEDULED, starts_at__lte=now, ends_at__gt=now)
    started = 0
    for campaign in due:
        with transaction.atomic():
            try:
                _move(campaign, Status.ACTIVE, (Status.SCHEDULED,))
            except CampaignError:
                continue  # paused meanwhile
            started += 1
    over = Q(status__in=(Status.SCHEDULED, Status.ACTIVE, Status.PAUSED), ends_at__lte=now)
    ended = Campaign.objects.filter(over).update(status=Status.ENDED)
    return started, ended
