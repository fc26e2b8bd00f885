"""Index upkeep around a live run: the targeting index set aside while people are rewritten,
and the planner's figures refreshed after."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from django.db import connection

from scoring.models import Person

if TYPE_CHECKING:
    from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor


@contextmanager
def targeting_index_set_aside(live: bool) -> Iterator[None]:
    """A live run rewrites most people's scores. With the person_targeting index in place,
    each rewrite adds an entry to every index of the table: no update can be HOT, and the
    rewrite takes several times as long (docs/PERFORMANCE.md, "The live estimate"). So the
    index is dropped before and built again after, both CONCURRENTLY: reads and writes go on,
    and a campaign's estimate counts by a sequential scan meanwhile. Then the table is
    vacuumed, so that every page is all-visible and the estimate's scan index-only again.
    PostgreSQL only, and not inside a caller's transaction (a test's), where neither can run:
    there the index stays."""
    if not live or connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    (index,) = (i for i in Person._meta.indexes if i.name == "person_targeting")
    with connection.schema_editor(atomic=False) as editor:
        cast("PostgresSchemaEditor", editor).remove_index(Person, index, concurrently=True)
    try:
        yield
    finally:
        with connection.schema_editor(atomic=False) as editor:
            postgres = cast("PostgresSchemaEditor", editor)
            postgres.remove_index(Person, index, concurrently=True)  # a failed build's remains
            postgres.add_index(Person, index, concurrently=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) scoring_person")


def refresh_statistics() -> None:
    """The planner's figures for the tables a live run rewrote, and the topics they name, which
    the profile page's statement is planned by (docs/PERFORMANCE.md, "Profile pages"): without
    them it walks every approved topic for each page. Autovacuum may be off, or not there yet.
    The people's table gets its figures from `targeting_index_set_aside`'s VACUUM (ANALYZE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scoring_persontopic, scoring_scoredetails, scoring_topic")
