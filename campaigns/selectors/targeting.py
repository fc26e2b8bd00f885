"""Who qualifies for a campaign, and at which tier."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from campaigns.models import Campaign, Tier
from scoring.models import Person
from scoring.selectors.score_text import whole_score
from scoring.selectors.targeting import people_matching


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
    """Everyone the target takes in now, claimed profile or not (scoring's people_matching)."""
    return people_matching(
        min_score=target.min_score,
        max_score=target.max_score,
        topic_ids=target.topic_ids,
        countries=target.countries,
        cities=target.cities,
    )


def eligible_people(campaign: Campaign) -> QuerySet[Person]:
    """The targeted people who can be told and can claim: those whose profile is a user's."""
    return targeted_people(Target.of(campaign)).filter(owner__isnull=False)


def tier_for(tiers: Sequence[Tier], score: float) -> Tier | None:
    """The tier whose band holds the score (as people read it): the highest one starting at
    or below it."""
    below = [tier for tier in tiers if tier.min_score <= whole_score(score)]
    return max(below, key=lambda tier: tier.min_score) if below else None
