"""A campaign's life: draft → submitted → scheduled or rejected → active ⇄ paused → ended.
Staff review and may pause any campaign; the brand submits, pauses and resumes its own."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, PerkType, Role
from campaigns.selectors.roles import Actor, role_require
from campaigns.services.waitlist import units_release
from marketplace.errors import ApplicationError
from marketplace.models import NotificationKind
from marketplace.notifications import notification_send
from marketplace.queueing import queue_on_commit

Status = CampaignStatus


def _move(
    campaign: Campaign,
    to: Status,
    allowed_from: tuple[Status, ...],
    note: str = "",
    paused_by_staff: bool = False,
) -> None:
    """One conditional UPDATE, so that two moderators (or a moderator and the clock) cannot
    both move the campaign from the same state."""
    moved = Campaign.objects.filter(pk=campaign.pk, status__in=allowed_from).update(
        status=to, review_note=note, paused_by_staff=paused_by_staff
    )
    if not moved:
        campaign.refresh_from_db(fields=["status"])
        raise ApplicationError(f"It is {campaign.get_status_display().lower()}.")
    campaign.status, campaign.review_note = to, note
    campaign.paused_by_staff = paused_by_staff
    if to == Status.ACTIVE:
        queue_on_commit("campaigns.tasks.eligibility_refresh_task", campaign.pk)


@transaction.atomic
def campaign_submit(*, actor: Actor, campaign: Campaign) -> None:
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    if campaign.ends_at <= timezone.now():
        raise ApplicationError("It ends in the past: change its dates first.")
    if campaign.perk_type == PerkType.CODE and campaign.codes.count() < campaign.quantity:
        raise ApplicationError(
            f"Upload at least {campaign.quantity} code{pluralize(campaign.quantity)} first: "
            "one for each unit on offer."
        )
    _move(campaign, Status.SUBMITTED, (Status.DRAFT, Status.REJECTED))


@transaction.atomic
def campaign_review(*, campaign: Campaign, approve: bool, note: str = "", now: datetime) -> None:
    """Staff approve (it starts at its start) or reject it, saying why."""
    if not approve:
        if not note.strip():
            raise ApplicationError("Say why the campaign is rejected: the brand reads it.")
        _move(campaign, Status.REJECTED, (Status.SUBMITTED,), note.strip())
        _tell_brand(campaign, "was not approved", f"Staff said: {note.strip()}")
        return
    if campaign.ends_at <= now:
        raise ApplicationError(f"It ended on {campaign.ends_at:%Y-%m-%d}.")
    started = campaign.starts_at <= now
    _move(campaign, Status.ACTIVE if started else Status.SCHEDULED, (Status.SUBMITTED,))
    _tell_brand(
        campaign,
        "is approved",
        "It is live now." if started else f"It starts on {campaign.starts_at:%-d %B %Y}.",
    )


def _tell_brand(campaign: Campaign, what: str, then: str) -> None:
    """Staff's decision, to the brand's owners and managers (in-app and by e-mail)."""
    members = campaign.brand.memberships.filter(role__in=(Role.OWNER, Role.MANAGER))
    url = reverse("campaigns:campaign", args=[campaign.brand.slug, campaign.pk])
    for membership in members.select_related("user"):
        notification_send(
            user=membership.user,
            kind=NotificationKind.ACCOUNT,
            subject=f"“{campaign}” {what}",
            body=f"Your campaign “{campaign}” for {campaign.brand} {what}. {then}",
            url=url,
        )


@transaction.atomic
def campaign_pause(*, campaign: Campaign, actor: Actor | None = None) -> None:
    """Stop claims for now. `actor` None: staff, who may pause any campaign, and then only
    staff may resume it."""
    if actor is not None:
        role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    live = (Status.ACTIVE, Status.SCHEDULED)
    _move(campaign, Status.PAUSED, live, paused_by_staff=actor is None)
    if actor is None:
        _tell_brand(campaign, "was paused by staff", "Nobody can claim it until they resume it.")


@transaction.atomic
def campaign_resume(*, campaign: Campaign, now: datetime, actor: Actor | None = None) -> None:
    if actor is not None:
        role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
        if Campaign.objects.filter(pk=campaign.pk, paused_by_staff=True).exists():
            raise ApplicationError("Staff paused it: only they can resume it.")
    started = campaign.starts_at <= now
    _move(campaign, Status.ACTIVE if started else Status.SCHEDULED, (Status.PAUSED,))
    if started:  # units given back while it was paused go to the waitlist first
        units_release(campaign_id=campaign.pk)


def campaigns_advance(*, now: datetime) -> tuple[int, int]:
    """Start the scheduled campaigns whose time came and end those whose time is up; find the
    people of every live campaign whose first refresh was lost (queued while the broker was
    down, or taken down with a killed worker). Returns (started, ended)."""
    due = Campaign.objects.filter(status=Status.SCHEDULED, starts_at__lte=now, ends_at__gt=now)
    started = []
    for campaign in due:
        with transaction.atomic():
            try:
                _move(campaign, Status.ACTIVE, (Status.SCHEDULED,))  # queues its refresh
            except ApplicationError:
                continue  # paused meanwhile
            started.append(campaign.pk)
    over = Q(status__in=(Status.SCHEDULED, Status.ACTIVE, Status.PAUSED), ends_at__lte=now)
    ended = Campaign.objects.filter(over).update(status=Status.ENDED)
    # A refresh is idempotent, so one queued twice (its first still running) does no harm.
    never_refreshed = Campaign.objects.filter(
        status=Status.ACTIVE, eligibility_refreshed_at=None
    ).exclude(pk__in=started)
    for campaign_id in never_refreshed.values_list("pk", flat=True):
        queue_on_commit("campaigns.tasks.eligibility_refresh_task", campaign_id)
    return len(started), ended
