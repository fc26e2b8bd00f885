"""Claiming a perk: one unit taken atomically, a code from the pool, one claim a person, and
the same request made twice (a double click, a retry) making one claim."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst

from campaigns.claim_rules import Refusal, standing_of
from campaigns.errors import AlreadyClaimed, KeyReused, SoldOut
from campaigns.lock_objects import claim_lock
from campaigns.models import (
    Campaign,
    Claim,
    ClaimStatus,
    Code,
    Eligibility,
    Role,
    WaitlistEntry,
)
from campaigns.selectors.perks import live_campaigns, profile_of
from campaigns.selectors.roles import Actor, role_require
from campaigns.selectors.targeting import tier_for
from campaigns.services.stock import (
    code_return,
    code_take,
    slot_return,
    slot_take,
    unit_return,
    unit_take,
)
from campaigns.services.waitlist import HOLD_KEY_PREFIX, units_release
from marketplace.errors import ApplicationError
from marketplace.models import Notification, NotificationKind, User
from marketplace.notifications import notification_send, notifications_send_many

SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length or 200
TRACKING_LENGTH = Claim._meta.get_field("tracking").max_length or 200


@dataclass(frozen=True)
class ClaimRequest:
    """What the claimant gave: a key naming this request, and the claim steps' answers."""

    idempotency_key: str
    answers: dict[str, str] = field(default_factory=dict)
    address: str = ""
    accepted_disclosure: bool = False
    slot_id: int | None = None  # the date picked, for an experience with dates


@dataclass(frozen=True)
class ClaimMade:
    claim: Claim
    created: bool  # False: the same request came before, and this is its claim


def claim_create(*, user: User, campaign_id: int, request: ClaimRequest) -> Claim:
    """The user's claim on the campaign. Asked again with the same key, the same claim."""
    return claim_make(user=user, campaign_id=campaign_id, request=request).claim


def claim_make(*, user: User, campaign_id: int, request: ClaimRequest) -> ClaimMade:
    """`claim_create`, saying whether this call made the claim: of simultaneous requests with
    one key, exactly one did, and the others are given its claim (KeyReused if the key came
    with another campaign)."""
    if not request.idempotency_key.strip():
        raise ApplicationError("A claim needs an idempotency key.")
    if request.idempotency_key.startswith(HOLD_KEY_PREFIX):
        raise ApplicationError(f"Idempotency keys starting {HOLD_KEY_PREFIX!r} are Sway's own.")
    earlier = _made(user, request)
    if earlier is not None:
        return ClaimMade(_same_request(earlier, campaign_id), created=False)
    try:
        return ClaimMade(_claim(user, campaign_id, request), created=True)
    except (IntegrityError, AlreadyClaimed, SoldOut) as refused:
        # A twin request may have committed first: it made the claim (maybe with the last
        # unit), and this request is answered with it.
        earlier = _made(user, request)
        if earlier is None:
            raise (refused if isinstance(refused, ApplicationError) else AlreadyClaimed()) from None
        return ClaimMade(_same_request(earlier, campaign_id), created=False)


def _made(user: User, request: ClaimRequest) -> Claim | None:
    return Claim.objects.filter(user=user, idempotency_key=request.idempotency_key).first()


def _same_request(claim: Claim, campaign_id: int) -> Claim:
    if claim.campaign_id != campaign_id:
        raise KeyReused
    return claim


@transaction.atomic
def _claim(user: User, campaign_id: int, request: ClaimRequest) -> Claim:
    campaign = live_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Refusal.NOT_ON_OFFER.error()
    person = profile_of(user=user)
    if person is None:
        raise Refusal.NOT_IN_TARGET.error()
    refusal = standing_of(campaign=campaign, person=person).refusal
    if refusal is not None:
        raise refusal.error()
    _check_steps(campaign, request)
    unit_take(campaign)
    claim = Claim.objects.create(
        campaign=campaign,
        person=person,
        user=user,
        tier=tier_for(list(campaign.tiers.all()), person.score or 0),
        status=ClaimStatus.CONFIRMED,
        idempotency_key=request.idempotency_key,
        answers=_answers(campaign, request),
        address=request.address.strip() if campaign.needs_address else "",
        slot=slot_take(campaign, request.slot_id),
    )
    WaitlistEntry.objects.filter(campaign=campaign, person=person).delete()
    code = code_take(campaign, claim)
    _confirm(user, campaign, claim, code)
    return claim


def _confirm(user: User, campaign: Campaign, claim: Claim, code: Code | None) -> None:
    notification_send(
        user=user,
        kind=NotificationKind.PERK_CLAIM,
        subject=f"Your perk: {campaign.title}",
        body=_confirmation(campaign, claim, code),
        url=reverse("campaigns:perks"),
    )


@transaction.atomic
def claim_confirm(*, user: User, claim_id: int, request: ClaimRequest) -> Claim:
    """Take up a unit the waitlist held for the user: the claim steps, then the code."""
    claim = (
        claim_lock(claim_id)
        .select_related("campaign__brand", "tier")
        .filter(user=user, status=ClaimStatus.RESERVED)
        .first()
    )
    if claim is None or (claim.reserved_until and claim.reserved_until <= timezone.now()):
        raise ApplicationError("This unit is no longer held for you.")
    _check_steps(claim.campaign, request)
    claim.status = ClaimStatus.CONFIRMED
    claim.answers = _answers(claim.campaign, request)
    claim.address = request.address.strip() if claim.campaign.needs_address else ""
    claim.slot = slot_take(claim.campaign, request.slot_id)
    claim.reserved_until = None
    claim.save(
        update_fields=["status", "answers", "address", "slot", "reserved_until", "updated_at"]
    )
    _confirm(user, claim.campaign, claim, Code.objects.filter(claim=claim).first())
    return claim


def _answers(campaign: Campaign, request: ClaimRequest) -> dict[str, str]:
    """The answers to the campaign's own questions, nothing else the request carried."""
    return {q: request.answers[q].strip() for q in campaign.questions if q in request.answers}


def missing_steps(*, campaign: Campaign, request: ClaimRequest) -> dict[str, str]:
    """Every claim step the request leaves undone, each with what to do, keyed by the claim
    form's field for it: `answer_<n>` (the campaign's n-th question), `address` and
    `accepted_disclosure`."""
    missing = {
        f"answer_{n}": f"Please answer: {question}"
        for n, question in enumerate(campaign.questions)
        if not request.answers.get(question, "").strip()
    }
    if campaign.needs_address and not request.address.strip():
        missing["address"] = "Please give the address to ship the perk to."
    if campaign.disclosure and not request.accepted_disclosure:
        missing["accepted_disclosure"] = "Please accept the disclosure reminder."
    return missing


def _check_steps(campaign: Campaign, request: ClaimRequest) -> None:
    missing = missing_steps(campaign=campaign, request=request)
    if missing:
        raise ApplicationError(" ".join(missing.values()))


def _confirmation(campaign: Campaign, claim: Claim, code: Code | None) -> str:
    lines = [f"You claimed “{campaign.title}” from {campaign.brand}."]
    if claim.tier is not None:
        lines.append(f"Your offer: {claim.tier.offer}.")
    if code is not None:
        lines.append(f"Your code: {code.code}")
    if claim.slot is not None:
        lines.append(f"Your date: {claim.slot.starts_at:%-d %B %Y, %H:%M} UTC")
    if campaign.disclosure:
        lines.append(f"Remember: {campaign.disclosure}")
    return "\n".join(lines)


@transaction.atomic
def claim_cancel(*, user: User, claim_id: int) -> bool:
    """The claimant gives the unit back, to the waitlist first; except a confirmed claim's
    code, shown already, which is theirs for good, unit and all. A held (reserved) claim's
    code was never shown: it goes back to the pool with its unit. True when the unit went
    back."""
    claim = (
        claim_lock(claim_id)
        .filter(user=user, status__in=(ClaimStatus.RESERVED, ClaimStatus.CONFIRMED))
        .first()
    )
    if claim is None:
        raise ApplicationError("There is no open claim of yours to cancel.")
    shown = claim.status == ClaimStatus.CONFIRMED and Code.objects.filter(claim=claim).exists()
    claim.status = ClaimStatus.CANCELLED
    claim.save(update_fields=["status", "updated_at"])
    if shown:
        return False
    # The locks go campaign, then date, then code (campaigns.lock_objects).
    unit_return(claim.campaign_id)
    slot_return(claim)
    code_return(claim)
    units_release(campaign_id=claim.campaign_id)
    return True


@transaction.atomic
def claim_fulfil(*, actor: Actor, claim: Claim, tracking: str = "") -> None:
    """The brand sent the perk (with a tracking number for a shipped product) or gave it."""
    role_require(actor=actor, brand_id=claim.campaign.brand_id, at_least=Role.MANAGER)
    problem = tracking_problem(tracking.strip())
    if problem is not None:
        raise ApplicationError(f"{capfirst(problem)}.", fields={"tracking": problem})
    fulfilled = Claim.objects.filter(pk=claim.pk, status=ClaimStatus.CONFIRMED).update(
        status=ClaimStatus.FULFILLED,
        tracking=tracking.strip(),
        fulfilled_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not fulfilled:
        raise ApplicationError("Only a confirmed claim can be fulfilled.")
    notice = fulfilment_notice(user=claim.user, campaign=claim.campaign, tracking=tracking.strip())
    notifications_send_many(notifications=[notice])


def tracking_problem(tracking: str) -> str | None:
    """What is wrong with a tracking number, if anything."""
    if not tracking.isprintable():
        return "the tracking number holds a control character"
    if len(tracking) > TRACKING_LENGTH:
        return f"the tracking number is longer than {TRACKING_LENGTH} characters"
    return None


def fulfilment_notice(*, user: User, campaign: Campaign, tracking: str) -> Notification:
    """What a claimant is told once the brand has sent or given the perk."""
    tracked = f" Its tracking number: {tracking}." if tracking else ""
    return Notification(
        user=user,
        kind=NotificationKind.PERK_CLAIM,
        subject=Truncator(f"Your perk from {campaign.brand}: on its way").chars(SUBJECT_LENGTH),
        body=f"{campaign.brand} has sent or given you “{campaign.title}”.{tracked}",
        url=reverse("campaigns:perks"),
    )


@transaction.atomic
def claims_withdraw(*, person_id: int) -> int:
    """A person leaves Sway (in the opt-out's transaction): their open claims are cancelled,
    each unit going back (to the waitlist first), their offers and places in waitlists are
    dropped, and what they gave brands (answers, address) is erased from every claim, whose
    fact stays for the stock. Returns how many claims were cancelled."""
    open_claims = Claim.objects.filter(
        person_id=person_id, status__in=(ClaimStatus.RESERVED, ClaimStatus.CONFIRMED)
    )
    WaitlistEntry.objects.filter(person_id=person_id).delete()
    Eligibility.objects.filter(person_id=person_id).delete()
    cancelled = 0
    for claim in open_claims.select_related("user"):
        claim_cancel(user=claim.user, claim_id=claim.pk)
        cancelled += 1
    Claim.objects.filter(person_id=person_id).update(answers={}, address="")
    return cancelled
