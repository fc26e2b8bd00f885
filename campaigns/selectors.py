"""What the campaigns app reads: who qualifies for a campaign, at which tier, and who may act
for a brand."""

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet

from campaigns.models import Campaign, Membership, Role, Tier
from marketplace.models import User
from scoring.models import HiddenTopic, Person, PersonTopic, TopicStatus

# What each role may do, from least to most.
ROLE_RANK = {Role.VIEWER: 0, Role.MANAGER: 1, Role.OWNER: 2}


def targeted_people(campaign: Campaign) -> QuerySet[Person]:
    """Everyone the campaign's targeting takes in now, claimed profile or not: in its score
    band, influential about one of its topics (approved, not sensitive, not hidden by them),
    in one of its places. Opted-out people never."""
    people = Person.objects.filter(opted_out=False, score__gte=campaign.min_score)
    if campaign.max_score is not None:
        people = people.filter(score__lt=campaign.max_score + 1)
    topics = list(campaign.topics.values_list("pk", flat=True))
    if topics:
        hidden = HiddenTopic.objects.filter(person=OuterRef("person"), topic=OuterRef("topic"))
        shown = PersonTopic.objects.filter(
            person=OuterRef("pk"),
            topic__in=topics,
            topic__status=TopicStatus.APPROVED,
            topic__is_sensitive=False,
        ).filter(~Exists(hidden))
        people = people.filter(Exists(shown))
    places = Q(country__in=campaign.countries) if campaign.countries else Q()
    for city in campaign.cities:
        places |= Q(place__iexact=city)
    return people.filter(places) if campaign.countries or campaign.cities else people


def eligible_people(campaign: Campaign) -> QuerySet[Person]:
    """The targeted people who can be told and can claim: those whose profile is a user's."""
    return targeted_people(campaign).filter(owner__isnull=False)


def tier_for(tiers: Sequence[Tier], score: float) -> Tier | None:
    """The tier whose band holds the score: the highest one starting at or below it."""
    below = [tier for tier in tiers if tier.min_score <= score]
    return max(below, key=lambda tier: tier.min_score) if below else None


def role_of(*, user: User, brand_id: int) -> Role | None:
    role = Membership.objects.filter(user=user, brand_id=brand_id).values_list("role", flat=True)
    found = role.first()
    return Role(found) if found else None
