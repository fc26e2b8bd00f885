"""The demo world (demo.world) as the engine's input, without a database in between."""

from datetime import UTC, datetime

import numpy as np

from demo.world import DAY, NETWORKS, DemoWorld, WorldSize
from scoring.engine.model import Signals
from scoring.ingest.records import HandleRecord, InteractionBlock, PostRecord

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
TOPICS = ["coffee", "football", "python", "jazz", "gardening", "startups", "yoga", "film"]


def demo_signals(people, seed=2026, days=90):
    """The world's signals, and its twitter handles by username."""
    world = DemoWorld(WorldSize(people, days, seed, AS_OF), TOPICS)
    handles: dict[tuple[str, str], int] = {}
    usernames: dict[str, int] = {}
    posts: dict[tuple[int, str], int] = {}
    columns: list[list] = [[], [], [], [], []]
    for line in world.lines():
        record = line.record
        if isinstance(record, HandleRecord):
            handles[(record.network, record.external_id)] = len(handles)
            usernames[record.username] = handles[(record.network, record.external_id)]
        elif isinstance(record, PostRecord):
            posts[(handles[(record.network, record.author)], record.external_id)] = len(posts)
        elif isinstance(record, InteractionBlock):
            targets = [handles[(record.network, t)] for t in record.target_ids()]
            columns[0] += [handles[(record.network, a)] for a in record.actor_ids()]
            columns[1] += targets
            columns[2] += record.kinds.tolist()
            columns[3] += ((int(AS_OF.timestamp()) * 10**6 - record.micros) / DAY).tolist()
            columns[4] += [
                posts.get((t, p), -1)
                for t, p in zip(targets, record.posts or [""] * len(targets), strict=True)
            ]
    person = np.arange(len(handles))
    for group in world.person_handles():
        ids = [handles[key] for key in group]
        person[ids] = ids[0]
    _, person = np.unique(person, return_inverse=True)
    network_ids = {name: i for i, name in enumerate(NETWORKS)}
    networks = np.zeros(len(handles), dtype=np.int64)
    for (network, _), index in handles.items():
        networks[index] = network_ids[network]
    signals = Signals(
        handle_person=person.astype(np.int64),
        handle_network=networks,
        handle_hidden=np.zeros(len(handles), dtype=bool),
        actor=np.array(columns[0], dtype=np.int64),
        target=np.array(columns[1], dtype=np.int64),
        kind=np.array(columns[2], dtype=np.int64),
        age_days=np.array(columns[3], dtype=np.float64),
        post=np.array(columns[4], dtype=np.int64),
        people=int(person.max()) + 1,
        networks=len(NETWORKS),
    )
    return signals, {name: int(person[h]) for name, h in usernames.items()}
