"""What the campaigns app reads: who qualifies for a campaign, at which tier, and who may act
for a brand."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from campaigns.models import Campaign, Membership, Role, Tier
from marketplace.models import User
from scoring.models import HiddenTopic, Person, PersonTopic, topic_is_public
from scoring.templatetags.scores import whole_score

# What each role may do, from least to most.
ROLE_RANK = {Role.VIEWER: 0, Role.MANAGER: 1, Role.OWNER: 2}


def sees_addresses(role: Role) -> bool:
    """Claimants' shipping addresses are for the people who ship: owners and managers."""
    return ROLE_RANK[role] >= ROLE_RANK[Role.MANAGER]


@dataclass(frozen=True)
class Target:
    """Whom a campaign is for: a score band, topics (any of; none: any) and places (any of
    the countries or cities; none: anywhere)."""

    min_score: int
    max_score: int | None = None
    topic_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()

    @classmethod
    def of(cls, campaign: Campaign) -> "Target":
        return cls(
            campaign.min_score,
            campaign.max_score,
            tuple(campaign.topics.values_list("pk", flat=True)),
            tuple(campaign.countries),
            tuple(campaign.cities),
        )


def targeted_people(target: Target) -> QuerySet[Person]:
    """Everyone the target takes in now, claimed profile or not: in its score band,
    influential about one of its topics (approved, not sensitive, not hidden by them), in one
    of its places. Opted-out people never."""
    # Bands hold scores as people read them, rounded half up (scoring's whole_score).
    people = Person.objects.filter(opted_out=False, score__gte=target.min_score - 0.5)
    if target.max_score is not None:
        people = people.filter(score__lt=target.max_score + 0.5)
    if target.topic_ids:
        hidden = HiddenTopic.objects.filter(person=OuterRef("person"), topic=OuterRef("topic"))
        shown = PersonTopic.objects.filter(
            topic_is_public("topic__"), person=OuterRef("pk"), topic__in=target.topic_ids
        ).filter(~Exists(hidden))
        people = people.filter(Exists(shown))
    if not (target.countries or target.cities):
        return people
    places = Q(country__in=target.countries)
    for city in target.cities:
        places |= Q(place__iexact=city)
    return people.filter(places)


def eligible_people(campaign: Campaign) -> QuerySet[Person]:
    """The targeted people who can be told and can claim: those whose profile is a user's."""
    return targeted_people(Target.of(campaign)).filter(owner__isnull=False)


def tier_for(tiers: Sequence[Tier], score: float) -> Tier | None:
    """The tier whose band holds the score (as people read it): the highest one starting at
    or below it."""
    below = [tier for tier in tiers if tier.min_score <= whole_score(score)]
    return max(below, key=lambda tier: tier.min_score) if below else None


def role_of(*, user: User, brand_id: int) -> Role | None:
    role = Membership.objects.filter(user=user, brand_id=brand_id).values_list("role", flat=True)
    found = role.first()
    return Role(found) if found else None
