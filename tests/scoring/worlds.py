"""Small worlds of signals, imported and scored the way an operator does it."""

import json

from django.core.management import call_command

from scoring.models import Handle, Topic
from scoring.taxonomy import load_starter_taxonomy


def handle(id_, username, name, network="twitter"):
    return {"type": "handle", "network": network, "id": id_, "username": username,
            "display_name": name}  # fmt: skip


def post(id_, author, *topics, network="twitter"):
    return {"type": "post", "network": network, "id": id_, "author": author,
            "published_at": "2026-11-10T10:00:00Z", "text": f"Post {id_}",
            "topics": topics}  # fmt: skip


def said(id_, author, text, day=10):
    """A post whose topics come from matching its text."""
    return {"type": "post", "network": "twitter", "id": id_, "author": author,
            "published_at": f"2026-11-{day}T10:00:00Z", "text": text}  # fmt: skip


def share(actor, target, post_id, day=20, network="twitter"):
    return {"type": "interaction", "network": network, "actor": actor, "target": target,
            "kind": "share", "post": post_id,
            "occurred_at": f"2026-11-{day}T12:00:00Z"}  # fmt: skip


def write_and_import(tmp_path, records):
    path = tmp_path / "world.jsonl"
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in records))
    call_command("import_signals", str(path), format="jsonl")


def score_days(*days):
    for day in days:
        call_command("compute_scores", as_of=f"2026-11-{day}")


def scored_world(tmp_path, more=()):
    """Alice's Python posts draw twelve fans and Bob, then three fans; her two book posts
    draw two and three fans. Books are marked sensitive, so her profile must not show them.
    `more` records join the world. The starter taxonomy is loaded again first: a
    transactional test that ran before on this worker (they run last) flushed it."""
    load_starter_taxonomy(Topic)
    fans = [str(100 + n) for n in range(12)]
    records = [handle("1", "Alice", "Alice Martin"), handle("2", "bob", "Bob Stone")]
    records += [handle(f, f"fan{f}", f"Fan {f}") for f in fans]
    records += [post("p1", "1", "python", "programming"), post("p3", "1", "python", "programming")]
    records += [post("p2", "1", "books"), post("p4", "1", "books")]
    records += [share(f, "1", "p1") for f in fans] + [share("2", "1", "p1", day=21)]
    records += [share(f, "1", "p3", day=18) for f in fans[:3]]
    records += [share(f, "1", "p2", day=19) for f in fans[:2]] + [share("1", "2", "", day=21)]
    records += [share(f, "1", "p4", day=19) for f in fans[2:5]]
    write_and_import(tmp_path, [*records, *more])
    Topic.objects.filter(slug="books").update(is_sensitive=True)
    score_days(19, 20, 21, 22)


def alice():
    return Handle.objects.get(username="Alice").person


def fans_world(tmp_path):
    """Alice posted on 10 November 2026; one of six fans a day shared it from the 10th to
    the 15th, then nobody engaged with anyone."""
    fans = [str(n) for n in range(10, 16)]
    records = [handle("1", "alice", "Alice Martin")]
    records += [handle(fan, f"fan{fan}", f"Fan {fan}") for fan in fans]
    records += [said("p1", "1", "Launch day", day=10)]
    records += [share(fan, "1", "p1", day=day) for day, fan in enumerate(fans, start=10)]
    write_and_import(tmp_path, records)
