"""On PostgreSQL, a trigram index for searching people by any part of their name: it serves
Django's `display_name__icontains` (which compares upper(display_name)), for non-empty names
only, so the millions of nameless imported people cost it nothing. Other databases scan."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX scoring_person_name_trgm ON scoring_person
    USING gin (upper(display_name::text) gin_trgm_ops) WHERE display_name <> '';
"""
DROP = "DROP INDEX IF EXISTS scoring_person_name_trgm;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_scores")]

    operations = [migrations.RunPython(forwards, backwards)]
