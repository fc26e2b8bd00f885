from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify

MAX_TRIES = 1000


def free_slug(rows: QuerySet[Any], name: str, fallback: str, length: int = 90) -> str:
    """A slug for `name` that none of `rows` has: "gilt", else "gilt-2", "gilt-3" …"""
    base = slugify(name)[:length] or fallback
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True))
    return next(s for s in (base, *(f"{base}-{n}" for n in range(2, MAX_TRIES))) if s not in taken)
