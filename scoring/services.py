"""The writes of the scoring app that are not bulk imports (those are scoring.ingest)."""

from collections.abc import Sequence
from itertools import batched

from django.db import transaction

from scoring.models import Handle, Person

CHUNK = 2000


@transaction.atomic
def people_join_handles(*, groups: Sequence[Sequence[tuple[str, str]]]) -> int:
    """Make each group of handles, named (network, external id), one person: the person of
    the group's first handle. People left without a handle are deleted. Returns how many
    handles moved."""
    moved = 0
    for chunk in batched(groups, CHUNK):
        keys = {key for group in chunk for key in group}
        found = {
            (h.network, h.external_id): h
            for h in Handle.objects.filter(
                external_id__in={external_id for _, external_id in keys}
            ).only("id", "network", "external_id", "person_id")
            if (h.network, h.external_id) in keys
        }
        changed = []
        emptied = set()
        for group in chunk:
            handles = [found[key] for key in group if key in found]
            for handle in handles[1:]:
                if handle.person_id != handles[0].person_id:
                    emptied.add(handle.person_id)
                    handle.person_id = handles[0].person_id
                    changed.append(handle)
        Handle.objects.bulk_update(changed, ["person"], batch_size=CHUNK)
        Person.objects.filter(pk__in=emptied, handles__isnull=True).delete()
        moved += len(changed)
    return moved
