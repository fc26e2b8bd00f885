"""SQL that a migration runs on PostgreSQL alone: its own kinds of index and storage settings,
which other databases go without. (The loader skips this module: its name starts with _.)"""

from collections.abc import Callable
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def on_postgresql(forwards: str, backwards: str) -> migrations.RunPython:
    return migrations.RunPython(_run(forwards), _run(backwards))


def _run(sql: str) -> Callable[[Any, BaseDatabaseSchemaEditor], None]:
    def run(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fillfactor(table: str, percent: int) -> migrations.RunPython:
    """Leave 100 - `percent` % of each of the table's new pages free, for updates in place."""
    return on_postgresql(
        f"ALTER TABLE {table} SET (fillfactor = {percent})",
        f"ALTER TABLE {table} RESET (fillfactor)",
    )
