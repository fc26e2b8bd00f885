"""A believable demo world, generated from a seed and streamed through the importers.

People are active on one to four networks, with heavy-tailed quality (how much what they post
moves others) and activity, one to three interests from the taxonomy, and their posts draw
engagement mostly from people who share the post's topic. Some accounts are private, some
went quiet weeks ago, a few are celebrities. And the cases a score must resist, each findable
by its username on twitter:

- demo_spambot: posts hundreds of times a day and mentions strangers; nobody engages back.
- demo_ring_1 … demo_ring_8: share and reply to each other's every post, and nobody else's.
- demo_bought_followers: 100,000 followers, a few posts, no engagement at all.
- demo_genuine: for contrast, a mid-size account with a few thousand engaged people, posting
  about photography, national parks and sustainability.

In the last week a quarter of the posts carry one of two hashtags that no topic names
(TRENDS), so that `propose_topics` has candidates to offer moderators.

Most people say where they are (PLACES: a city and its country, or only a country), so that a
campaign for London or for GB reaches someone.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from scoring.ingest.records import HandleRecord, InteractionBlock, PostRecord, SourceLine
from scoring.models import InteractionKind, Network

NETWORKS = [
    Network.TWITTER,
    Network.MASTODON,
    Network.BLUESKY,
    Network.INSTAGRAM,
    Network.YOUTUBE,
    Network.LINKEDIN,
]
FIRST = (
    "ada",
    "alan",
    "amara",
    "bea",
    "chen",
    "dana",
    "eli",
    "emil",
    "farah",
    "gus",
    "hana",
    "ines",
    "ivo",
    "jade",
    "jonas",
    "kai",
    "lena",
    "leo",
    "lina",
    "marco",
    "maya",
    "mila",
    "nia",
    "noor",
    "omar",
    "otto",
    "pia",
    "raj",
    "rosa",
    "sam",
    "sara",
    "tao",
    "uma",
    "vera",
    "wim",
    "yara",
    "yusuf",
    "zoe",
)
LAST = (
    "abe",
    "baker",
    "costa",
    "diaz",
    "ekberg",
    "fox",
    "garcia",
    "haddad",
    "ito",
    "jansen",
    "kim",
    "lopez",
    "mori",
    "novak",
    "okafor",
    "park",
    "quinn",
    "rossi",
    "silva",
    "tanaka",
    "ueda",
    "varga",
    "weber",
    "xu",
    "young",
    "zhang",
)
KIND_WEIGHTS = {
    InteractionKind.LIKE: 0.55,
    InteractionKind.SHARE: 0.2,
    InteractionKind.REPLY: 0.13,
    InteractionKind.COMMENT: 0.07,
    InteractionKind.MENTION: 0.05,
}
MICROS = 1_000_000
DAY = 86_400 * MICROS
TRENDS = ("FeteDesLumieres", "RetroGamingWeek")
TREND_DAYS, TREND_SHARE = 7, 0.25
ENGAGEMENTS_PER_PERSON = 10  # in 90 days: the 1M-person world has about 10 million
BLOCK = 200_000
GENUINE_TOPICS = ("photography", "national-parks", "sustainability")  # demo_genuine's
# Cities, their countries and how many of a hundred people live there.
PLACES = (
    ("London", "GB", 9),
    ("Manchester", "GB", 2),
    ("Edinburgh", "GB", 1),
    ("New York", "US", 8),
    ("Los Angeles", "US", 5),
    ("Chicago", "US", 3),
    ("Austin", "US", 2),
    ("Paris", "FR", 5),
    ("Lyon", "FR", 2),
    ("Berlin", "DE", 4),
    ("Munich", "DE", 2),
    ("Toronto", "CA", 3),
    ("Montréal", "CA", 2),
    ("Madrid", "ES", 2),
    ("Barcelona", "ES", 2),
    ("Milan", "IT", 2),
    ("Amsterdam", "NL", 2),
    ("Stockholm", "SE", 1),
    ("São Paulo", "BR", 3),
    ("Mexico City", "MX", 2),
    ("Mumbai", "IN", 3),
    ("Bengaluru", "IN", 2),
    ("Tokyo", "JP", 3),
    ("Seoul", "KR", 2),
    ("Sydney", "AU", 2),
    ("Melbourne", "AU", 1),
    ("Lagos", "NG", 2),
    ("Cape Town", "ZA", 1),
)
CITY_SHARE, COUNTRY_ONLY_SHARE = 0.75, 0.15  # the rest say nothing


@dataclass(frozen=True)
class WorldSize:
    people: int
    days: int
    seed: int
    as_of: datetime


MASTODON_SERVERS = ("mastodon.social", "fosstodon.org", "hachyderm.io", "mas.to")


def _username(network: str, name: str, person: int) -> str:
    """A username as the network writes them: Mastodon's name the server (user@host),
    Bluesky's are domain names."""
    if network == Network.MASTODON:
        return f"{name}@{MASTODON_SERVERS[person % len(MASTODON_SERVERS)]}"
    if network == Network.BLUESKY:
        return f"{name.replace('_', '-')}.bsky.social"
    return name


class DemoWorld:
    def __init__(self, size: WorldSize, topics: list[str]):
        self.size = size
        self.rng = np.random.default_rng(size.seed)
        self.topics = topics
        self.end = int(size.as_of.timestamp()) * MICROS
        self.start = self.end - size.days * DAY
        self._people()
        self._handles()
        self._posts()

    def lines(self) -> Iterator[SourceLine]:
        """Handles, then posts, then interactions: each refers only to what came before."""
        yield from self._handle_lines()
        yield from self._post_lines()
        yield from self._engagement_lines()
        yield from self._adversaries()

    def person_handles(self) -> list[list[tuple[str, str]]]:
        """For each person with several handles, their (network, external id) pairs."""
        groups: dict[int, list[tuple[str, str]]] = {}
        for h in range(len(self.handle_person)):
            groups.setdefault(int(self.handle_person[h]), []).append(self._key(h))
        return [keys for keys in groups.values() if len(keys) > 1]

    def person_places(self) -> list[tuple[tuple[str, str], str, str]]:
        """Where people say they are, by their first handle: (network, external id), city
        ("" for those who give only a country) and country. Drawn from a generator of their
        own, so that the rest of the world is as it was."""
        rng = np.random.default_rng(self.size.seed + 2)
        n = self.size.people
        weights = np.array([weight for _, _, weight in PLACES], dtype=np.float64)
        picks = rng.choice(len(PLACES), size=n, p=weights / weights.sum())
        says = rng.random(n)
        first_handles = np.searchsorted(self.handle_person, np.arange(n))
        places = []
        for person in np.flatnonzero(says < CITY_SHARE + COUNTRY_ONLY_SHARE).tolist():
            city, country, _ = PLACES[picks[person]]
            shown = city if says[person] < CITY_SHARE else ""
            places.append((self._key(int(first_handles[person])), shown, country))
        return places

    # --- the population -------------------------------------------------------------------

    def _people(self) -> None:
        n, rng = self.size.people, self.rng
        self.quality = rng.pareto(1.6, n) + 0.05  # heavy-tailed: most small, a few huge
        celebrities = rng.choice(n, size=min(5, n), replace=False)
        self.quality[celebrities] *= 40
        self.activity = rng.lognormal(mean=-4.3, sigma=1.0, size=n)  # posts a day: ~2 in 90 days
        self.quiet_since = np.where(  # 8 % stopped posting 20 to 60 days ago
            rng.random(n) < 0.08, self.end - rng.integers(20, 60, n) * DAY, self.end
        )
        self.interests = rng.integers(0, len(self.topics), size=(n, 3))
        self.interest_count = rng.choice([1, 2, 3], size=n, p=[0.4, 0.4, 0.2])

    def _handles(self) -> None:
        n, rng = self.size.people, self.rng
        counts = rng.choice([1, 2, 3, 4], size=n, p=[0.6, 0.25, 0.1, 0.05])
        self.handle_person = np.repeat(np.arange(n), counts)
        networks = [rng.choice(len(NETWORKS), size=c, replace=False) for c in counts]
        self.handle_network = np.concatenate(networks) if networks else np.zeros(0, int)
        self.handle_private = rng.random(len(self.handle_person)) < 0.05
        self.network_handles = [
            np.flatnonzero(self.handle_network == w) for w in range(len(NETWORKS))
        ]
        self.person_network_handle = {
            (int(p), int(k)): h
            for h, (p, k) in enumerate(zip(self.handle_person, self.handle_network, strict=True))
        }

    def _posts(self) -> None:
        rng = self.rng
        person = self.handle_person
        active_days = (self.quiet_since[person] - self.start) / DAY
        counts = rng.poisson(self.activity[person] * np.clip(active_days, 0, None))
        self.post_handle = np.repeat(np.arange(len(person)), counts)
        author = person[self.post_handle]
        span = (self.quiet_since[author] - self.start).astype(np.float64)
        self.post_time = self.start + (rng.random(len(author)) * span).astype(np.int64)
        pick = (rng.random(len(author)) * self.interest_count[author]).astype(int)
        self.post_topic = self.interests[author, pick]
        # Drawn from their own generator, so that the rest of the world is as it was.
        trends = np.random.default_rng(self.size.seed + 1)
        trending = (self.post_time >= self.end - TREND_DAYS * DAY) & (
            trends.random(len(author)) < TREND_SHARE
        )
        self.post_trend = np.where(trending, trends.integers(0, len(TRENDS), len(author)), -1)

    # --- records ----------------------------------------------------------------------------

    def _key(self, handle: int) -> tuple[str, str]:
        return NETWORKS[self.handle_network[handle]], f"d{handle}"

    def _handle_lines(self) -> Iterator[SourceLine]:
        followers = (self.quality * 300 * self.rng.lognormal(0, 0.5, len(self.quality))).astype(int)
        for h, p in enumerate(self.handle_person):
            network, external_id = self._key(h)
            first, last = FIRST[p % len(FIRST)], LAST[(p // len(FIRST)) % len(LAST)]
            yield SourceLine(
                f"demo:handle {h}",
                HandleRecord(
                    network,
                    external_id,
                    username=_username(network, f"{first}_{last}{p}", int(p)),
                    display_name=f"{first.title()} {last.title()}",
                    is_private=bool(self.handle_private[h]),
                    followers_count=int(followers[p]),
                ),
            )

    def _post_lines(self) -> Iterator[SourceLine]:
        for i, h in enumerate(self.post_handle):
            network, author = self._key(int(h))
            topic = self.topics[self.post_topic[i]]
            yield SourceLine(
                f"demo:post {i}",
                PostRecord(
                    network,
                    author,
                    f"p{i}",
                    published_at=_moment(int(self.post_time[i])),
                    text=f"Thoughts on {topic.replace('-', ' ')} #{topic.replace('-', '')}"
                    + (f" #{TRENDS[self.post_trend[i]]}" if self.post_trend[i] >= 0 else ""),
                    topics=(topic,),
                ),
            )

    def _engagement_lines(self) -> Iterator[SourceLine]:
        """Each post draws engagement in proportion to its author's quality, 70 % of it from
        people who share its topic; each engagement comes some hours after the post."""
        rng, n = self.rng, self.size.people
        authors = self.handle_person[self.post_handle]
        wanted = ENGAGEMENTS_PER_PERSON * n * self.size.days // 90  # as dense in a longer world
        weight = self.quality[authors]
        rate = weight * wanted / max(weight.sum(), 1e-9)
        per_post = rng.poisson(rate)
        communities = _communities(self.interests, self.interest_count, len(self.topics))
        for start in range(0, len(per_post), BLOCK // ENGAGEMENTS_PER_PERSON):
            chunk = slice(start, start + BLOCK // ENGAGEMENTS_PER_PERSON)
            post = np.repeat(np.arange(len(per_post))[chunk], per_post[chunk])
            if len(post):
                yield from self._engagement_block(post, communities, n)

    def _engagement_block(
        self, post: np.ndarray[Any, Any], communities: list[np.ndarray[Any, Any]], n: int
    ) -> Iterator[SourceLine]:
        rng = self.rng
        target_handle = self.post_handle[post]
        network = self.handle_network[target_handle]
        actors = rng.integers(0, n, len(post))
        from_community = rng.random(len(post)) < 0.7
        for k in np.flatnonzero(from_community):
            members = communities[self.post_topic[post[k]]]
            if len(members):
                actors[k] = members[rng.integers(0, len(members))]
        actor_handle = np.array(
            [
                self.person_network_handle.get((int(a), int(w)), -1)
                for a, w in zip(actors, network, strict=True)
            ]
        )
        for w in range(len(NETWORKS)):  # chosen people not on the post's network: anyone there
            missing = np.flatnonzero((actor_handle < 0) & (network == w))
            if len(missing):
                actor_handle[missing] = rng.choice(self.network_handles[w], len(missing))
        keep = self.handle_person[actor_handle] != self.handle_person[target_handle]
        delay = rng.exponential(6 * 3600 * MICROS, len(post)).astype(np.int64)
        moment = np.minimum(self.post_time[post] + delay, self.end - 1)
        kinds = rng.choice(list(KIND_WEIGHTS), size=len(post), p=list(KIND_WEIGHTS.values()))
        for w, name in enumerate(NETWORKS):
            rows = np.flatnonzero(keep & (network == w))
            if len(rows):
                involved, positions = np.unique(
                    np.concatenate([actor_handle[rows], target_handle[rows]]), return_inverse=True
                )
                yield SourceLine(
                    f"demo:engagement block {name}",
                    InteractionBlock(
                        name,
                        handles=[f"d{h}" for h in involved.tolist()],
                        actors=positions[: len(rows)],
                        targets=positions[len(rows) :],
                        kinds=kinds[rows].astype(np.int16),
                        micros=moment[rows],
                        posts=[f"p{p}" for p in post[rows]],
                    ),
                )

    def _adversaries(self) -> Iterator[SourceLine]:
        yield from _Adversaries(self).lines()


class _Adversaries:
    """The four stories a score must tell apart, on twitter, from the general population."""

    def __init__(self, world: DemoWorld):
        self.world = world
        self.rng = np.random.default_rng(world.size.seed + 1)
        self.post_times: dict[str, np.ndarray[Any, Any]] = {}
        twitter = NETWORKS.index(Network.TWITTER)
        self.crowd = [
            world._key(int(h))[1] for h in np.flatnonzero(world.handle_network == twitter)
        ]

    def lines(self) -> Iterator[SourceLine]:
        yield from self._handle("demo_spambot", "Deals Deals Deals", followers=2_000)
        yield from self._handle("demo_bought_followers", "Totally Famous", followers=100_000)
        yield from self._handle("demo_genuine", "Priya Genuine", followers=4_000)
        ring = [f"demo_ring_{i}" for i in range(1, 9)]
        self.crowd = self.crowd or ring  # a world too small to have anyone else on twitter
        for member in ring:
            yield from self._handle(member, f"Ring Member {member[-1]}", followers=800)
        yield from self._spam()
        yield from self._ring(ring)
        yield from self._genuine()
        yield from self._posts("demo_bought_followers", count=6)

    def _handle(self, username: str, name: str, followers: int) -> Iterator[SourceLine]:
        yield SourceLine(
            f"demo:{username}",
            HandleRecord(
                Network.TWITTER, username, username, display_name=name, followers_count=followers
            ),
        )

    def _times(self, count: int) -> np.ndarray[Any, Any]:
        w = self.world
        return np.sort(self.rng.integers(w.start, w.end, count))

    def _posts(self, username: str, count: int, topics: Sequence[str] = ()) -> Iterator[SourceLine]:
        """The account's posts; with topics, about each in turn, as the population's are."""
        self.post_times[username] = self._times(count)
        for i, moment in enumerate(self.post_times[username]):
            topic = topics[i % len(topics)] if topics else ""
            text = f"Thoughts on {topic.replace('-', ' ')} #{topic.replace('-', '')}"
            yield SourceLine(
                f"demo:{username} post {i}",
                PostRecord(
                    Network.TWITTER,
                    username,
                    f"{username}-{i}",
                    _moment(int(moment)),
                    text=text if topic else f"Post {i} by {username}",
                    topics=(topic,) if topic else (),
                ),
            )

    def _spam(self) -> Iterator[SourceLine]:
        days = self.world.size.days
        yield from self._posts("demo_spambot", count=300 * days)
        count = 200 * days
        targets = self.rng.choice(self.crowd, count)
        yield SourceLine(
            "demo:demo_spambot mentions",
            InteractionBlock.of_ids(
                Network.TWITTER,
                actors=["demo_spambot"] * count,
                targets=list(targets),
                kinds=np.full(count, InteractionKind.MENTION, dtype=np.int16),
                micros=self._times(count),
            ),
        )

    def _ring(self, ring: list[str]) -> Iterator[SourceLine]:
        posts_each = 3 * self.world.size.days
        for member in ring:
            yield from self._posts(member, count=posts_each)
        rows = [
            (actor, target, kind, i)
            for target in ring
            for i in range(posts_each)
            for actor in ring
            if actor != target
            for kind in (InteractionKind.SHARE, InteractionKind.REPLY)
        ]
        yield self._block("demo:ring engagement", rows)

    def _genuine(self) -> Iterator[SourceLine]:
        """An outdoor photographer whose posts thousands engage with, each post about one of
        her topics, so that her profile shows them."""
        posts = 2 * self.world.size.days
        topics = [t for t in GENUINE_TOPICS if t in self.world.topics] or self.world.topics[:2]
        yield from self._posts("demo_genuine", count=posts, topics=topics)
        fans = self.rng.choice(self.crowd, size=min(3_000, len(self.crowd)), replace=False)
        count = 2 * len(fans)
        kinds = self.rng.choice(list(KIND_WEIGHTS), size=count, p=list(KIND_WEIGHTS.values()))
        rows = zip(
            self.rng.choice(fans, count),
            ["demo_genuine"] * count,
            kinds,
            self.rng.integers(0, posts, count),
            strict=True,
        )
        yield self._block("demo:demo_genuine engagement", list(rows))

    def _block(self, location: str, rows: Sequence[tuple[str, str, int, int]]) -> SourceLine:
        """Engagement (actor, target, kind, the target's post number) within hours of it."""
        actors, targets, kinds, numbers = zip(*rows, strict=True)
        published = np.array([self.post_times[t][n] for t, n in zip(targets, numbers, strict=True)])
        delay = self.rng.exponential(3 * 3600 * MICROS, len(rows)).astype(np.int64)
        return SourceLine(
            location,
            InteractionBlock.of_ids(
                Network.TWITTER,
                actors=list(actors),
                targets=list(targets),
                kinds=np.array(kinds, dtype=np.int16),
                micros=np.minimum(published + delay, self.world.end - 1),
                posts=[f"{t}-{n}" for t, n in zip(targets, numbers, strict=True)],
            ),
        )


def _communities(
    interests: np.ndarray[Any, Any], interest_count: np.ndarray[Any, Any], topics: int
) -> list[np.ndarray[Any, Any]]:
    """For each topic, the people interested in it."""
    people = np.concatenate([np.flatnonzero(interest_count > k) for k in range(3)])
    topic = np.concatenate([interests[interest_count > k, k] for k in range(3)])
    order = np.argsort(topic, kind="stable")
    bounds = np.searchsorted(topic[order], np.arange(topics + 1))
    return [people[order[bounds[t] : bounds[t + 1]]] for t in range(topics)]


def _moment(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
