"""The portable bulk backend: Django's bulk_create, with duplicates looked up first. Used on
SQLite, and as the baseline that the COPY backend is measured against (bench/)."""

from collections.abc import Iterable
from datetime import datetime
from itertools import batched
from typing import Any

from django.db.models import Model

from scoring.ingest.bulk_contract import HandleKey, InteractionColumns, PostKey, micros_to_datetime
from scoring.ingest.records import HandleRecord, PostRecord
from scoring.models import (
    DoNotTrack,
    Handle,
    Interaction,
    Person,
    Post,
    fresh_public_ids,
    username_key,
)

CHUNK = 5000  # below SQLite's limit on query parameters


class DjangoBulk:
    def lock_handles(self) -> None:
        """SQLite lets one writer in at a time; nothing more is needed."""

    def do_not_track(self, network: str, external_ids: set[str]) -> set[str]:
        return set(_matching(DoNotTrack, "external_id", external_ids, network=network))

    def public_ids_taken(self, candidates: set[str]) -> set[str]:
        return set(_matching(Person, "public_id", candidates))

    def handle_ids(self, network: str, external_ids: set[str]) -> dict[str, int]:
        return dict(_matching(Handle, "external_id", external_ids, "id", network=network))

    def handle_people(self, network: str, external_ids: set[str]) -> dict[str, tuple[int, int]]:
        rows = _matching(Handle, "external_id", external_ids, "id", "person_id", network=network)
        return {external_id: (pk, person) for external_id, pk, person in rows}

    def usernames_taken(self, network: str, keys: list[str]) -> dict[str, str]:
        return dict(_matching(Handle, "username_key", keys, "external_id", network=network))

    def insert_handles(
        self, handles: list[HandleRecord], unnamed: list[HandleKey]
    ) -> dict[HandleKey, int]:
        handles = handles + [HandleRecord(network, e, username="") for network, e in unnamed]
        people = Person.objects.bulk_create(
            Person(public_id=public_id, display_name=record.display_name)
            for public_id, record in zip(
                fresh_public_ids(len(handles), self.public_ids_taken), handles, strict=True
            )
        )
        created = Handle.objects.bulk_create(
            Handle(
                person=person,
                network=record.network,
                external_id=record.external_id,
                username=record.username,
                username_key=username_key(record.username),
                display_name=record.display_name,
                avatar_url=record.avatar_url,
                profile_url=record.profile_url,
                is_private=record.is_private,
                followers_count=record.followers_count,
            )
            for person, record in zip(people, handles, strict=True)
        )
        return {(h.network, h.external_id): h.pk for h in created}

    def post_ids(self, keys: list[PostKey]) -> dict[PostKey, int]:
        wanted = set(keys)
        found: dict[PostKey, int] = {}
        for chunk in batched(keys, CHUNK // 2):
            rows = Post.objects.filter(
                handle_id__in={h for h, _ in chunk}, external_id__in={e for _, e in chunk}
            ).values_list("handle_id", "external_id", "id")
            found.update(((h, e), i) for h, e, i in rows if (h, e) in wanted)
        return found

    def insert_posts(self, rows: list[tuple[int, PostRecord]]) -> dict[PostKey, int]:
        created = Post.objects.bulk_create(
            Post(
                handle_id=handle_id,
                external_id=record.external_id,
                published_at=record.published_at,
                text=record.text,
                url=record.url,
                kind=record.kind,
                reported_likes=record.reported_likes,
                reported_shares=record.reported_shares,
            )
            for handle_id, record in rows
        )
        return {(p.handle_id, p.external_id): p.pk for p in created}

    def insert_post_topics(self, rows: list[tuple[int, int]]) -> None:
        tag = Post.topics.through
        tag.objects.bulk_create(tag(post_id=post, topic_id=topic) for post, topic in rows)

    def refresh_statistics(self) -> None:
        """The databases this backend serves keep statistics well enough on their own."""

    def insert_interactions(self, columns: InteractionColumns) -> int:
        rows = zip(
            columns.actors.tolist(),
            columns.targets.tolist(),
            columns.kinds.tolist(),
            map(micros_to_datetime, columns.micros.tolist()),
            [post or None for post in columns.posts.tolist()],
            strict=True,
        )
        fresh: dict[tuple[int, int, int, datetime], int | None] = {}
        for chunk in batched(rows, CHUNK):
            keys = {(a, t, k, at): post for a, t, k, at, post in chunk}
            existing = Interaction.objects.filter(
                actor_id__in={key[0] for key in keys},
                occurred_at__range=(min(key[3] for key in keys), max(key[3] for key in keys)),
            ).values_list("actor_id", "target_id", "kind", "occurred_at")
            for key in existing:
                keys.pop(key, None)
            for key, post in keys.items():
                fresh.setdefault(key, post)
        Interaction.objects.bulk_create(
            (
                Interaction(actor_id=a, target_id=t, kind=k, occurred_at=at, post_id=post)
                for (a, t, k, at), post in fresh.items()
            ),
            batch_size=CHUNK // 5,
        )
        return len(fresh)


def _matching(
    model: type[Model], field: str, values: Iterable[str], *also: str, **filters: str
) -> list[Any]:
    """`field` (and the `also` columns) of the rows whose `field` is among `values`."""
    found: list[Any] = []
    for chunk in batched(values, CHUNK):
        rows = model._default_manager.filter(**filters, **{f"{field}__in": chunk})
        found += rows.values_list(field, *also) if also else rows.values_list(field, flat=True)
    return found
