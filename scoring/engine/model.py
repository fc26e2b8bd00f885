"""The inputs, parameters and outputs of the engine: plain arrays in frozen dataclasses."""

import math
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

# Interaction kinds as stored (scoring.models.InteractionKind): share, reply, comment,
# mention, like.
SHARE, REPLY, COMMENT, MENTION, LIKE = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Params:
    """Everything the model's behaviour depends on. A model version is one fixed Params."""

    version: str
    window_days: float = 90.0
    half_life_days: float = 30.0  # the age at which a signal's weight has halved
    # How weight falls with age: "exponential" halves it every half-life; "hyperbolic",
    # 1 / (1 + age / half-life), falls faster at first and then keeps a long tail.
    decay: Literal["exponential", "hyperbolic"] = "exponential"
    fade_days: float = 30.0  # over the window's last days a signal's weight fades to nothing
    kind_weights: MappingProxyType[int, float] = field(
        default_factory=lambda: MappingProxyType(
            {SHARE: 1.0, REPLY: 0.8, COMMENT: 0.8, MENTION: 0.5, LIKE: 0.3}
        )
    )
    saturation: float = 0.5  # a share ≈ 0.86 of a person, a like ≈ 0.45; repeats saturate at 1
    day_bucket: float = 1.0  # engagement without a known post: grouped by day of the target
    amplify_unknown_posts: bool = True  # … or, when False, left out of amplification
    influence_damping: float = 0.85
    influence_half: float = 4.0  # x at which an engager's influence u(x) = x / (x + half) is ½
    influence_tolerance: float = 1e-9
    influence_iterations: int = 200
    automation_volume: float = 50.0  # interactions a day beyond which output looks automated
    automation_inbound: float = 5.0  # … unless this many outside people engage back
    # Selectivity: engagement from a handle that engaged with more than `selective_targets`
    # others in the window is worth (selective_targets / targets) ** selectivity of a person's.
    # A reaction from someone who reacts to everything says less about whom they react to.
    selective_targets: float = math.inf
    selectivity: float = 0.5
    reach_weight: float = 1.0
    amplification_weight: float = 0.6
    network_weight: float = 0.8
    # Persistence (scoring.engine.persistence): on how many days people engaged with a handle,
    # never more than how many people did, each day fading over the window's last
    # `persistence_fade_days` (not `fade_days`: engagement that old still says who keeps
    # drawing people). 0 leaves the term out.
    persistence_weight: float = 0.0
    persistence_fade_days: float = 15.0
    # score = 1 + 99 · (1 - exp(-(log(1 + raw) / theta) ^ kappa)), fitted once on the demo
    # world (median engaged person 20, 95th percentile 63) and then fixed for the version.
    calibration_theta: float = 2.29
    calibration_kappa: float = 1.87
    private_score: float = 10.0
    top: int = 5  # contributors, posts, influencers and influencees kept per person
    topic_top: int = 10  # topics kept per person
    topic_min_posts: int = 2  # a topic is earned by this many posts about it that drew anyone
    topic_min_people: int = 3  # … and this many distinct people acting on them


@dataclass(frozen=True)
class Signals:
    """One window of engagement, as arrays. Handles and people are numbered from 0.

    Each handle belongs to one person (`handle_person`) and one network; an interaction is
    by a handle (`actor`) on another handle's content (`target`), maybe on one of its posts
    (`post`, -1 when not known), `age_days` before the day being scored."""

    handle_person: NDArray[np.int64]
    handle_network: NDArray[np.int64]
    handle_hidden: NDArray[np.bool_]  # private, and its owner has not granted access
    actor: NDArray[np.int64]
    target: NDArray[np.int64]
    kind: NDArray[np.int64]
    age_days: NDArray[np.float64]
    post: NDArray[np.int64]
    people: int
    networks: int
    # What posts are about: pairs of a post number and a topic number (topics from 0).
    post_topic_post: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    post_topic_topic: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    topics: int = 0

    def __post_init__(self) -> None:
        handles = len(self.handle_person)
        if not (len(self.handle_network) == len(self.handle_hidden) == handles):
            raise ValueError("handle arrays differ in length")
        size = len(self.actor)
        if not all(len(a) == size for a in (self.target, self.kind, self.age_days, self.post)):
            raise ValueError("interaction arrays differ in length")
        if size and (self.actor.max() >= handles or self.target.max() >= handles):
            raise ValueError("an interaction names a handle that is not there")
        if handles and self.handle_person.max() >= self.people:
            raise ValueError("a handle names a person that is not there")
        if len(self.post_topic_post) != len(self.post_topic_topic):
            raise ValueError("post topic arrays differ in length")
        if len(self.post_topic_topic) and self.post_topic_topic.max() >= self.topics:
            raise ValueError("a post names a topic that is not there")

    def older_than(self, days: float) -> "Signals":
        """The same world without the engagement of the last `days`: what the score would be
        had nothing new happened (the explanation's counterfactual)."""
        return self._engagement_where(self.age_days >= days)

    def newer_than(self, days: float) -> "Signals":
        """The same world with only the engagement of the last `days`."""
        return self._engagement_where(self.age_days < days)

    def _engagement_where(self, keep: NDArray[np.bool_]) -> "Signals":
        return replace(
            self,
            actor=self.actor[keep],
            target=self.target[keep],
            kind=self.kind[keep],
            age_days=self.age_days[keep],
            post=self.post[keep],
        )


@dataclass(frozen=True)
class Standing:
    """What a whole-world run found about people, for scoring a part of the world (one person
    and those who engage with them), where it cannot be found again: what each person's
    engagement is worth (`Scores.influence`), each handle's automation discount
    (`Scores.handle_automation`) and its selectivity (`Scores.handle_selectivity`)."""

    influence: NDArray[np.float64]  # per person
    automation: NDArray[np.float64]  # per handle
    selectivity: NDArray[np.float64]  # per handle


@dataclass(frozen=True)
class Scores:
    """Per person (index = person number) unless said otherwise."""

    version: str
    score: NDArray[np.float64]  # 1–100, two decimals
    raw: NDArray[np.float64]  # the influence before calibration
    reach: NDArray[np.float64]  # effective number of distinct people who acted
    amplification: NDArray[np.float64]  # engagement an average engaged-with post drew
    network: NDArray[np.float64]  # reach weighted by each engager's influence (0–1)
    # On how many days people engaged, never more days than people (0 in the versions without
    # it: Params.persistence_weight).
    persistence: NDArray[np.float64]
    influence: NDArray[np.float64]  # u, 0–1: what this person's engagement is worth
    automation: NDArray[np.float64]  # the discount on this person's engagement, 0–1
    handle_automation: NDArray[np.float64]  # per handle: the discount on its engagement
    handle_selectivity: NDArray[np.float64]  # per handle: what its engagement is worth, 0–1
    network_raw: NDArray[np.float64]  # people × networks: each network's part of `raw`
    percentile: NDArray[np.float64]  # share of people with a lower score, 0–100
    top_contributors: NDArray[np.int64]  # people × top: persons, -1 when fewer
    top_contributions: NDArray[np.float64]  # engagement × the engager's worth
    top_posts: NDArray[np.int64]  # people × top: post numbers, -1 when fewer
    top_post_engagement: NDArray[np.float64]
    influencers: NDArray[np.int64]  # people × top: whose content this person acts on most
    influencer_weights: NDArray[np.float64]
    influencees: NDArray[np.int64]  # people × top: who acts most on this person's content
    influencee_weights: NDArray[np.float64]
    top_topics: NDArray[np.int64]  # people × topic_top: topic numbers, -1 when fewer
    topic_scores: NDArray[np.float64]  # 1–100, the score counted on the topic's posts alone

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def standing(self) -> Standing:
        return Standing(self.influence, self.handle_automation, self.handle_selectivity)
