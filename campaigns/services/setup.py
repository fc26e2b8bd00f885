"""What a brand writes: its campaigns' offer, targeting, tiers and claim steps."""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from campaigns.lock_objects import campaign_lock
from campaigns.models import (
    Brand,
    BuilderStep,
    Campaign,
    CampaignStatus,
    PerkType,
    Role,
    Slot,
    Tier,
)
from campaigns.selectors.roles import Actor, role_require
from marketplace.errors import ApplicationError
from marketplace.pictures import picture_assign
from marketplace.text import single_line

EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.REJECTED)


@dataclass(frozen=True)
class CampaignDraft:
    title: str
    description: str
    perk_type: str
    quantity: int
    min_score: int
    max_score: int | None
    starts_at: datetime
    ends_at: datetime
    topic_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    tiers: tuple[tuple[int, str], ...] = ()  # (from score, offer), lowest first
    questions: tuple[str, ...] = ()
    slots: tuple[tuple[datetime, int], ...] = ()  # an experience's dates and places on each
    needs_address: bool = False
    disclosure: str = ""
    hashtag: str = ""
    image: ContentFile | Literal[False] | None = None  # a new one, none, or as it is


def tier_problem(draft: CampaignDraft) -> str | None:
    """Why the tiers do not fit the score band, if they do not."""
    if not draft.tiers:
        return None
    starts = [start for start, _ in draft.tiers]
    if starts != sorted(set(starts)):
        return "Give each tier once, lowest score first."
    if starts[0] != draft.min_score:
        return f"The first tier starts at the lowest score, {draft.min_score}."
    top = draft.max_score if draft.max_score is not None else 100
    if starts[-1] > top:
        return f"A tier starts above the top of the band, {top}."
    return None


def slot_problem(draft: CampaignDraft) -> str | None:
    """Why the dates do not fit the campaign, if they do not."""
    if not draft.slots:
        return None
    if draft.perk_type != PerkType.EXPERIENCE:
        return "Only an experience has dates."
    starts = [starts_at for starts_at, _ in draft.slots]
    if len(set(starts)) < len(starts):
        return "Give each date once."
    if sum(capacity for _, capacity in draft.slots) < draft.quantity:
        return f"The dates have fewer places than the {draft.quantity} units on offer."
    return None


@transaction.atomic
def campaign_save(
    *,
    actor: Actor,
    brand: Brand,
    draft: CampaignDraft,
    campaign: Campaign | None = None,
    step: BuilderStep | None = None,
) -> Campaign:
    """A new campaign, or new values for a draft or rejected one (which becomes a draft).
    `step`: the builder's step the brand saved (the others keep their state); None: the
    campaign was written whole."""
    role_require(actor=actor, brand_id=brand.pk, at_least=Role.MANAGER)
    if campaign is None:
        campaign = Campaign(brand=brand)
    else:  # locked and read again: a submit or a new image at the same moment must stay
        locked = campaign_lock(campaign.pk).filter(brand=brand, status__in=EDITABLE).first()
        if locked is None:
            raise ApplicationError("Only a draft or a rejected campaign can be changed.")
        campaign = locked
    problem = tier_problem(draft) or slot_problem(draft)
    if problem:
        raise ApplicationError(problem)
    for name in (
        "description",
        "perk_type",
        "quantity",
        "min_score",
        "max_score",
        "starts_at",
        "ends_at",
        "needs_address",
        "disclosure",
        "hashtag",
    ):
        setattr(campaign, name, getattr(draft, name))
    campaign.title = single_line(draft.title)  # it heads e-mail subjects
    campaign.countries, campaign.cities = list(draft.countries), list(draft.cities)
    campaign.questions = list(draft.questions)
    campaign.status = CampaignStatus.DRAFT
    saved = {*campaign.steps_saved, step.value} if step else set(BuilderStep.values)
    campaign.steps_saved = [value for value in BuilderStep.values if value in saved]
    try:
        campaign.full_clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from error
    picture_assign(campaign, "image", draft.image)
    campaign.save()
    campaign.topics.set(draft.topic_ids)
    campaign.tiers.all().delete()
    Tier.objects.bulk_create(
        Tier(campaign=campaign, min_score=start, offer=offer) for start, offer in draft.tiers
    )
    campaign.slots.all().delete()  # a draft's: nobody has claimed one
    Slot.objects.bulk_create(
        Slot(campaign=campaign, starts_at=starts_at, capacity=capacity)
        for starts_at, capacity in draft.slots
    )
    return campaign


@transaction.atomic
def campaign_delete(*, actor: Actor, campaign: Campaign) -> None:
    """A draft or rejected campaign, gone with its tiers, dates, codes and image: nobody was
    ever offered it."""
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    locked = campaign_lock(campaign.pk).filter(status__in=EDITABLE).first()
    if locked is None:
        raise ApplicationError("Only a draft or a rejected campaign can be deleted.")
    picture_assign(locked, "image", False)
    locked.delete()
