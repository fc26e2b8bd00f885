"""The taxonomy Sway ships with: 16 broad areas and about 200 common topics with aliases and
keywords (scoring/data/starter_topics.json), loaded by migration 0003 and again, harmlessly,
by seed_demo."""

import json
from pathlib import Path
from typing import Any

STARTER_FILE = Path(__file__).resolve().parent / "data" / "starter_topics.json"


def starter_taxonomy() -> dict[str, list[dict[str, Any]]]:
    with STARTER_FILE.open(encoding="utf-8") as file:
        data: dict[str, list[dict[str, Any]]] = json.load(file)
    return data


def load_starter_taxonomy(topic_model: Any) -> int:
    """Create the starter topics that do not exist yet (by slug) and their parent links.
    Takes the Topic model as an argument so that a migration can pass its historical one.
    Returns how many topics were created."""
    data = starter_taxonomy()
    existing = set(topic_model.objects.values_list("slug", flat=True))
    entries = [{**area, "is_area": True, "parents": []} for area in data["areas"]]
    entries += data["topics"]
    new = [entry for entry in entries if entry["slug"] not in existing]
    topic_model.objects.bulk_create(
        topic_model(
            slug=entry["slug"],
            name=entry["name"],
            description=entry.get("description", ""),
            aliases=entry.get("aliases", []),
            keywords=entry.get("keywords", []),
            status="approved",
            is_area=entry.get("is_area", False),
        )
        for entry in new
    )
    ids = dict(topic_model.objects.values_list("slug", "id"))
    link = topic_model.parents.through
    link.objects.bulk_create(
        (
            link(from_topic_id=ids[entry["slug"]], to_topic_id=ids[parent])
            for entry in new
            for parent in entry["parents"]
        ),
        ignore_conflicts=True,
    )
    return len(new)
