"""Whether a person may claim a live perk now, and if not, why: one rule, asked by the perk
pages before they offer a claim or the waitlist, and by the claim and waitlist services
before they act, so that a page never offers what a service then refuses."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from campaigns.errors import AlreadyClaimed, SoldOut
from campaigns.models import HOLDING, Campaign, Claim
from campaigns.selectors.targeting import eligible_people
from marketplace.errors import ApplicationError
from scoring.models import Person

# A person's claims on a perk that bar them from claiming it again: one they hold, or one
# whose code they were given (a code once shown stays theirs, even after a cancel).
BARRING = Q(status__in=HOLDING) | Q(code__isnull=False)


class Refusal(StrEnum):
    NOT_ON_OFFER = "not_on_offer"
    NOT_IN_TARGET = "not_in_target"
    CLAIMED = "claimed"
    HAD_CODE = "had_code"
    SOLD_OUT = "sold_out"

    def error(self) -> ApplicationError:
        """What a service raises. Its class matters: claim_make answers AlreadyClaimed and
        SoldOut with the claim of a twin request, when there is one."""
        match self:
            case Refusal.NOT_ON_OFFER:
                return ApplicationError("This perk is not on offer.")
            case Refusal.NOT_IN_TARGET:
                return ApplicationError(
                    "This perk is for people in its target, and you are not now."
                )
            case Refusal.CLAIMED:
                return AlreadyClaimed()
            case Refusal.HAD_CODE:
                return AlreadyClaimed("You had a code from this perk already — one a person.")
            case Refusal.SOLD_OUT:
                return SoldOut()

    @property
    def message(self) -> str:
        return str(self.error())


@dataclass(frozen=True)
class Standing:
    """Where a person stands with a live perk."""

    left: int  # the perk's units left
    in_target: bool
    holding: Claim | None = None  # their claim now (held, confirmed or fulfilled)
    had_code: bool = False  # they were given one of its codes, on any claim

    @property
    def refusal(self) -> Refusal | None:
        """Why they may not claim it now; None: they may."""
        if not self.in_target:
            return Refusal.NOT_IN_TARGET
        if self.holding is not None:
            return Refusal.CLAIMED
        if self.had_code:
            return Refusal.HAD_CODE
        return Refusal.SOLD_OUT if self.left <= 0 else None


def standing_of(*, campaign: Campaign, person: Person) -> Standing:
    """The person's standing with the live campaign, in three queries: their claims on it
    (the one they hold with its tier, code and date), its target topics, and whether the
    person is in its target."""
    barring = list(
        Claim.objects.filter(BARRING, campaign=campaign, person=person).select_related(
            "tier", "code", "slot"
        )
    )
    return Standing(
        campaign.left,
        in_target=eligible_people(campaign).filter(pk=person.pk).exists(),
        holding=next((claim for claim in barring if claim.status in HOLDING), None),
        had_code=any(hasattr(claim, "code") for claim in barring),
    )
