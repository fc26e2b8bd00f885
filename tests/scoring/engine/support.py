"""Small worlds for engine tests, described in a few lines."""

from dataclasses import dataclass, field

import numpy as np

from scoring.engine.model import SHARE, Params, Signals

PARAMS = Params(version="test")


@dataclass
class World:
    """Handles with their person and network, and interactions between handles."""

    handles: list[tuple[int, int, bool]] = field(default_factory=list)
    interactions: list[tuple[int, int, int, float, int]] = field(default_factory=list)
    post_topics: list[tuple[int, int]] = field(default_factory=list)
    _next_person: int = 0

    def handle(self, person=None, network=0, hidden=False):
        """A new handle, of a new person unless one is given."""
        if person is None:
            person = self._next_person
        self._next_person = max(self._next_person, person + 1)
        self.handles.append((person, network, hidden))
        return len(self.handles) - 1

    def people(self, count, network=0):
        return [self.handle(network=network) for _ in range(count)]

    def engage(self, actor, target, kind=SHARE, age=1.0, post=-1, times=1):
        self.interactions += [(actor, target, kind, age, post)] * times

    def about(self, post, *topics):
        self.post_topics += [(post, topic) for topic in topics]

    def signals(self, shift_days=0.0):
        handle_person = np.array([p for p, _, _ in self.handles], dtype=np.int64)
        columns = list(zip(*self.interactions, strict=True)) or [[], [], [], [], []]
        return Signals(
            handle_person=handle_person,
            handle_network=np.array([n for _, n, _ in self.handles], dtype=np.int64),
            handle_hidden=np.array([h for _, _, h in self.handles], dtype=bool),
            actor=np.array(columns[0], dtype=np.int64),
            target=np.array(columns[1], dtype=np.int64),
            kind=np.array(columns[2], dtype=np.int64),
            age_days=np.array(columns[3], dtype=np.float64) + shift_days,
            post=np.array(columns[4], dtype=np.int64),
            people=int(handle_person.max(initial=-1)) + 1,
            networks=max((n for _, n, _ in self.handles), default=0) + 1,
            post_topic_post=np.array([p for p, _ in self.post_topics], dtype=np.int64),
            post_topic_topic=np.array([t for _, t in self.post_topics], dtype=np.int64),
            topics=max((t for _, t in self.post_topics), default=-1) + 1,
        )
