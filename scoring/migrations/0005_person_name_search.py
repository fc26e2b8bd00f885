"""On PostgreSQL, a trigram index for searching people by any part of their name: it serves
Django's `display_name__icontains` (which compares upper(display_name)), for non-empty names
only, so the millions of nameless imported people cost it nothing. Other databases scan."""

from django.db import migrations

from scoring.migrations._postgres import on_postgresql

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX scoring_person_name_trgm ON scoring_person
    USING gin (upper(display_name::text) gin_trgm_ops) WHERE display_name <> '';
"""
DROP = "DROP INDEX IF EXISTS scoring_person_name_trgm;"


class Migration(migrations.Migration):
    dependencies = [("scoring", "0004_scores")]

    operations = [on_postgresql(CREATE, DROP)]
