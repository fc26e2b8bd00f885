"""The Klout Topic Ontology (CC BY 3.0, 2018): 8,033 topics and 13,446 parent edges in two
CSV files. Topics are matched by Klout id, then by slug ("technology-super" is our area
"technology"), so re-importing updates instead of duplicating and a topic that staff banned
or renamed keeps that. Ids reach 10^19, past a signed 64-bit integer: they stay text."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from scoring.models import Topic, TopicStatus

SHIPPED_ONTOLOGY = Path(__file__).resolve().parent.parent / "data" / "klout-topics"
TOPICS_FILE = "klout_topic_ontology_20180601.csv"
EDGES_FILE = "klout_topic_edge_20180601.csv"
ROOT_ID = "0"
AREA_SUFFIX = "-super"


class OntologyError(ValueError):
    """The directory does not hold a readable ontology."""


@dataclass
class TopicImportSummary:
    created: int = 0
    updated: int = 0
    links_added: int = 0
    problems: list[str] = field(default_factory=list)  # "file:line: reason", skipped rows

    def describe(self) -> str:
        return (
            f"topics created {self.created:,}, updated {self.updated:,}; "
            f"parent links added {self.links_added:,}; rows skipped {len(self.problems):,}"
        )


@dataclass(frozen=True)
class _Row:
    klout_id: str
    slug: str
    name: str
    wikidata_id: str
    is_area: bool  # a "-super" topic: one of our areas, whose slug it takes without the suffix


def import_klout_ontology(directory: Path) -> TopicImportSummary:
    summary = TopicImportSummary()
    rows = list(_topic_rows(directory / TOPICS_FILE, summary))
    edges = list(_edges(directory / EDGES_FILE, summary))
    with transaction.atomic():
        ids = _upsert_topics(rows, summary)
        _link_parents(edges, ids, summary)
    return summary


def _csv(path: Path, columns: int) -> Iterator[tuple[str, list[str]]]:
    """(location, fields) for every data row of a CSV file with `columns` columns."""
    if not path.is_file():
        raise OntologyError(f"{path} is missing: is this the Klout ontology directory?")
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header is None or len(header) != columns:
            raise OntologyError(f"{path}: expected a header of {columns} columns")
        for fields in reader:
            yield f"{path}:{reader.line_num}", fields


def _topic_rows(path: Path, summary: TopicImportSummary) -> Iterator[_Row]:
    for location, fields in _csv(path, 5):
        if len(fields) != 5:
            summary.problems.append(f"{location}: expected 5 fields, found {len(fields)}")
            continue
        klout_id, slug, name, wikidata_id, _freebase = (f.strip() for f in fields)
        if not (klout_id.isdigit() and slug and name):
            summary.problems.append(f"{location}: needs a numeric id, a slug and a name")
            continue
        is_area = slug.endswith(AREA_SUFFIX)
        # Some of Klout's slugs do not fit an address ("a$ap-rocky", "r/ga", "réunion").
        address = slugify(slug.removesuffix(AREA_SUFFIX))
        if not address:
            summary.problems.append(f"{location}: slug {slug!r} has no letter or digit")
            continue
        yield _Row(klout_id, address, name, wikidata_id, is_area)


def _edges(path: Path, summary: TopicImportSummary) -> Iterator[tuple[str, str, str]]:
    # The header's second column is misspelt in the source ("parrentTopicSlug"): read by place.
    for location, fields in _csv(path, 4):
        if len(fields) != 4:
            summary.problems.append(f"{location}: expected 4 fields, found {len(fields)}")
            continue
        parent_id, _, child_id, _ = (f.strip() for f in fields)
        if child_id != ROOT_ID:
            yield location, parent_id, child_id


def _upsert_topics(rows: list[_Row], summary: TopicImportSummary) -> dict[str, int]:
    """Create or update every row's topic; returns Klout id → topic id. Where an area and an
    ordinary Klout topic share a slug ("technology-super", "technology"), both are our one
    topic, which keeps the ordinary topic's Klout id."""
    by_klout = {t.klout_id: t for t in Topic.objects.exclude(klout_id="")}
    by_slug = {t.slug: t for t in Topic.objects.all()}
    ordinary_slugs = {row.slug for row in rows if not row.is_area}
    new: dict[str, Topic] = {}
    changed: dict[str, Topic] = {}
    topic_of: dict[str, Topic] = {}
    for row in rows:
        topic = by_klout.get(row.klout_id) or by_slug.get(row.slug)
        if topic is None:
            topic = Topic(slug=row.slug, name=row.name, status=TopicStatus.APPROVED)
            new[row.slug] = by_slug[row.slug] = topic
        topic_of[row.klout_id] = topic
        if row.is_area:
            topic.is_area = True
            if row.slug in ordinary_slugs:
                continue
        if (topic.klout_id, topic.wikidata_id) != (row.klout_id, row.wikidata_id):
            topic.klout_id, topic.wikidata_id = row.klout_id, row.wikidata_id
            if topic.pk is not None:
                changed[topic.slug] = topic
    Topic.objects.bulk_create(new.values(), batch_size=1000)
    fields = ["klout_id", "wikidata_id", "is_area"]
    Topic.objects.bulk_update(changed.values(), fields, batch_size=1000)
    summary.created += len(new)
    summary.updated += len(changed)
    return {klout_id: topic.pk for klout_id, topic in topic_of.items()}


def _link_parents(
    edges: list[tuple[str, str, str]], ids: dict[str, int], summary: TopicImportSummary
) -> None:
    link = Topic.parents.through
    existing = set(link.objects.values_list("from_topic_id", "to_topic_id"))
    wanted: set[tuple[int, int]] = set()
    for location, parent_id, child_id in edges:
        if child_id not in ids:
            summary.problems.append(f"{location}: unknown child topic {child_id}")
        elif parent_id == ROOT_ID:
            continue  # the areas, marked as such when their topics were stored
        elif parent_id not in ids:
            summary.problems.append(f"{location}: unknown parent topic {parent_id}")
        elif ids[child_id] != ids[parent_id]:  # "technology" under "technology-super"
            wanted.add((ids[child_id], ids[parent_id]))
    fresh = wanted - existing
    link.objects.bulk_create(
        (link(from_topic_id=child, to_topic_id=parent) for child, parent in fresh),
        batch_size=5000,
    )
    summary.links_added += len(fresh)
