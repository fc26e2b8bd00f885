"""What people's perk pages read: the offers they qualify for and their claims, one perk as
they see it, and the open perks on a topic, each in a fixed number of queries."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from campaigns.claim_rules import BARRING, Refusal, Standing, standing_of
from campaigns.models import (
    HOLDING,
    Campaign,
    CampaignStatus,
    Claim,
    ClaimStatus,
    Eligibility,
    Slot,
    Tier,
    WaitlistEntry,
)
from campaigns.selectors.targeting import tier_for
from marketplace.models import User
from scoring.models import Person, Topic
from scoring.selectors.topics import public_topics

TOPIC_PERKS = 10  # shown on a topic page, soonest to end first


def _live(now: datetime, prefix: str = "") -> Q:
    """Campaigns on offer at `now`: active and within their dates (as a claim checks)."""
    return Q(
        **{
            f"{prefix}status": CampaignStatus.ACTIVE,
            f"{prefix}starts_at__lte": now,
            f"{prefix}ends_at__gt": now,
        }
    )


def live_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(_live(timezone.now()))


def profile_of(*, user: User) -> Person | None:
    """The user's own scored profile, if they verified a handle and did not opt out."""
    return (
        Person.objects.filter(owner=user, opted_out=False)
        .only("pk", "public_id", "display_name", "score")
        .first()
    )


@dataclass(frozen=True)
class Offer:
    campaign: Campaign  # with its brand
    tier: Tier | None  # the viewer's, at their score now: what a claim would give


@dataclass(frozen=True)
class ShownClaim:
    """A claim as the person's list shows it. One that ended (cancelled, or held from the
    waitlist and not confirmed in time) stands for all that ended so of its perk: the
    latest, with how many."""

    claim: Claim
    times: int = 1

    @property
    def holding(self) -> bool:
        """Held now: reserved, confirmed or fulfilled, with its offer and date."""
        return self.claim.status in HOLDING


@dataclass(frozen=True)
class Perks:
    person: Person | None
    offers: list[Offer]  # soonest to end first
    claims: list[Claim]  # every status, newest first, with campaign, brand, tier and code

    @property
    def shown(self) -> list[ShownClaim]:
        """The claims as the person's list shows them, newest first: each perk's ended claims
        (by how they ended) as one, and none of them beside a claim of that perk held now."""
        held = {claim.campaign_id for claim in self.claims if claim.status in HOLDING}
        ended: dict[tuple[int, str], list[Claim]] = {}
        for claim in self.claims:
            if claim.status not in HOLDING and claim.campaign_id not in held:
                ended.setdefault((claim.campaign_id, claim.status), []).append(claim)
        shown = []
        for claim in self.claims:
            group = ended.get((claim.campaign_id, claim.status), [])
            if claim.status in HOLDING:
                shown.append(ShownClaim(claim))
            elif group and group[0] is claim:  # the latest
                shown.append(ShownClaim(claim, len(group)))
        return shown


def perks_of(*, user: User) -> Perks:
    """The offers the user's person holds (offers_of) and all their claims: four queries
    (profile, offers, the offers' tiers, claims) whatever their number."""
    person = profile_of(user=user)
    offers = [] if person is None else offers_of(person=person)
    claims = list(
        Claim.objects.filter(user=user)
        .select_related("campaign__brand", "tier", "code", "slot")
        .order_by("-created_at", "-pk")
    )
    return Perks(person, offers, claims)


def offers_of(*, person: Person) -> list[Offer]:
    """The perks the person qualifies for now (eligibility refreshed after each scoring run,
    not lost, campaign live, no claim of theirs barring another: claim_rules), at their tier:
    two queries. `person.score` must be loaded."""
    barred = Claim.objects.filter(BARRING, campaign=OuterRef("campaign"), person=person)
    rows = (
        Eligibility.objects.filter(_live(timezone.now(), "campaign__"), person=person)
        .filter(lost_at=None)
        .filter(~Exists(barred))
        .select_related("campaign__brand")
        .prefetch_related("campaign__tiers")
        .order_by("campaign__ends_at", "pk")
    )
    return [
        Offer(row.campaign, tier_for(list(row.campaign.tiers.all()), person.score or 0))
        for row in rows
    ]


@dataclass(frozen=True)
class Band:
    tier: Tier
    upto: int | None  # the highest score of the band; None: no upper bound


@dataclass(frozen=True)
class PerkPage:
    campaign: Campaign  # with its brand
    bands: list[Band]  # the tier table, lowest first
    tier: Tier | None  # the viewer's, at their score now
    person: Person | None  # the viewer's profile, if they are signed in and have one
    slots: list[Slot]  # an experience's dates with places left, soonest first
    topics: list[Topic]  # the public topics it targets
    standing: Standing | None = None  # the viewer's, when they have a profile
    offered: bool = False  # told of it once
    waiting: int | None = None  # their place on the waitlist, from 1

    @property
    def refusal(self) -> Refusal | None:
        """Why the viewer may not claim it now, as the claim service would say; None: they
        may."""
        return self.standing.refusal if self.standing else Refusal.NOT_IN_TARGET

    @property
    def offer_stands(self) -> bool:
        """They may claim it, or could but for its selling out (the waitlist is theirs)."""
        return self.refusal in (None, Refusal.SOLD_OUT)

    @property
    def eligible(self) -> bool:
        """In the target now."""
        return self.standing is not None and self.standing.in_target

    @property
    def claim(self) -> Claim | None:
        """Their claim now, with its tier, code and date."""
        return self.standing.holding if self.standing else None

    @property
    def lost(self) -> bool:
        """Offered before, out of the target now, and holding nothing."""
        return self.offered and not self.eligible and self.claim is None

    @property
    def held(self) -> bool:
        """A unit from the waitlist is held for them, to confirm."""
        return self.claim is not None and self.claim.status == ClaimStatus.RESERVED


def perk_page(*, user: User | None, campaign_id: int) -> PerkPage | None:
    """The live campaign as the viewer (None: not signed in) sees it; None when it is not
    live. Anyone may read a live perk: only the people in its target may claim it."""
    campaign = live_campaigns().select_related("brand").filter(pk=campaign_id).first()
    if campaign is None:
        return None
    person = profile_of(user=user) if user is not None else None
    page = perk_preview(campaign=campaign)
    if person is None:
        return page
    return replace(
        page,
        person=person,
        tier=tier_for([band.tier for band in page.bands], person.score or 0),
        standing=standing_of(campaign=campaign, person=person),
        offered=Eligibility.objects.filter(campaign=campaign, person=person).exists(),
        waiting=_place(campaign, person),
    )


def perk_preview(*, campaign: Campaign) -> PerkPage:
    """The campaign, in whatever state, as someone not signed in would read it live (staff
    deciding on it see this): three queries, its tiers, dates with places left and public
    topics. `campaign.brand` must be loaded."""
    return PerkPage(
        campaign=campaign,
        bands=_bands(list(campaign.tiers.all()), campaign.max_score),
        tier=None,
        person=None,
        slots=list(campaign.slots.filter(taken__lt=F("capacity")).order_by("starts_at")),
        topics=list(public_topics().filter(pk__in=campaign.topics.all())),
    )


def _place(campaign: Campaign, person: Person) -> int | None:
    """The person's place on the campaign's waitlist, in one query; None when not on it."""
    ahead = (
        WaitlistEntry.objects.filter(
            campaign=campaign, offered_at=None, joined_at__lte=OuterRef("joined_at")
        )
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        WaitlistEntry.objects.filter(campaign=campaign, person=person, offered_at=None)
        .annotate(place=Subquery(ahead))
        .values_list("place", flat=True)
        .first()
    )


def _bands(tiers: list[Tier], max_score: int | None) -> list[Band]:
    ordered = sorted(tiers, key=lambda tier: tier.min_score)
    tops = [above.min_score - 1 for above in ordered[1:]]
    return [Band(tier, upto) for tier, upto in zip(ordered, [*tops, max_score], strict=False)]


def claim_code(*, claim: Claim) -> str | None:
    """The code a claim was given, if its perk hands out codes."""
    return Claim.objects.filter(pk=claim.pk).values_list("code__code", flat=True).first()


def open_perks_on(*, topic: Topic) -> list[Campaign]:
    """Live campaigns aimed at the topic with units left, with their brands: one query."""
    return list(
        live_campaigns()
        .filter(topics=topic, taken__lt=F("quantity"))
        .select_related("brand")
        .order_by("ends_at", "pk")[:TOPIC_PERKS]
    )
