"""Many small worlds scored in one run: their people, handles and posts numbered one after the
other, and the run's Scores cut back into each world's.

No number crosses from one world to another, so a world's people score as they would alone,
but for what the whole run shares: the influence iteration stops when every world has settled
(each world takes at least its own steps, so its numbers move by less than the tolerance), and
percentiles rank everyone in the run."""

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scoring.engine.model import Scores, Signals, Standing

HANDLE_ROWS = ("handle_automation", "handle_selectivity")
PERSON_NUMBERS = ("top_contributors", "influencers", "influencees")
POST_NUMBERS = ("top_posts",)


@dataclass(frozen=True)
class Place:
    """Where one world's numbers start in the run, and how many of each it has."""

    person: int
    handle: int
    post: int
    people: int
    handles: int
    networks: int


def side_by_side(
    worlds: list[Signals], standings: list[Standing] | None = None
) -> tuple[Signals, Standing | None, list[Place]]:
    """One world holding `worlds` (and their standings, when given), and each one's place."""
    places, person, handle, post = [], 0, 0, 0
    for world in worlds:
        handles = len(world.handle_person)
        places.append(Place(person, handle, post, world.people, handles, world.networks))
        person += world.people
        handle += handles
        post += 1 + int(max(world.post.max(initial=-1), world.post_topic_post.max(initial=-1)))
    joined = Signals(
        handle_person=_joined(worlds, places, "handle_person", "person"),
        handle_network=np.concatenate([w.handle_network for w in worlds]),
        handle_hidden=np.concatenate([w.handle_hidden for w in worlds]),
        actor=_joined(worlds, places, "actor", "handle"),
        target=_joined(worlds, places, "target", "handle"),
        kind=np.concatenate([w.kind for w in worlds]),
        age_days=np.concatenate([w.age_days for w in worlds]),
        post=_joined(worlds, places, "post", "post"),
        people=person,
        networks=max(w.networks for w in worlds),
        post_topic_post=_joined(worlds, places, "post_topic_post", "post"),
        post_topic_topic=np.concatenate([w.post_topic_topic for w in worlds]),
        topics=max(w.topics for w in worlds),
    )
    if standings is None:
        return joined, None, places
    standing = Standing(
        influence=np.concatenate([s.influence for s in standings]),
        automation=np.concatenate([s.automation for s in standings]),
        selectivity=np.concatenate([s.selectivity for s in standings]),
    )
    return joined, standing, places


def cut(scores: Scores, place: Place) -> Scores:
    """One world's Scores out of the run's, numbered as the world numbers them."""
    fields: dict[str, Any] = {}
    for name, value in scores.as_dict().items():
        if not isinstance(value, np.ndarray):
            continue
        if name in HANDLE_ROWS:
            fields[name] = value[place.handle : place.handle + place.handles]
            continue
        rows = value[place.person : place.person + place.people]
        if name == "network_raw":
            rows = rows[:, : place.networks]
        elif name in PERSON_NUMBERS or name in POST_NUMBERS:
            start = place.person if name in PERSON_NUMBERS else place.post
            rows = np.where(rows >= 0, rows - start, rows)
        fields[name] = rows
    return replace(scores, **fields)


def _joined(worlds: list[Signals], places: list[Place], column: str, numbering: str) -> np.ndarray:
    """The column of every world, each shifted past the worlds before it (-1 stays -1)."""
    parts = []
    for world, place in zip(worlds, places, strict=True):
        values = getattr(world, column)
        start = getattr(place, numbering)
        parts.append(np.where(values >= 0, values + start, values) if numbering == "post" else
                     values + start)  # fmt: skip
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)
