"""On PostgreSQL, a trigram index of usernames: it serves a search by a username's start
(`username_key LIKE 'demo_gen%'`) and the closest usernames to a word that found nobody
(`username_key % 'demo_genuime'`). Other databases scan."""

from django.db import migrations

from scoring.migrations._postgres import on_postgresql

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX scoring_handle_username_trgm ON scoring_handle USING gin (username_key gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS scoring_handle_username_trgm;"


class Migration(migrations.Migration):
    dependencies = [("scoring", "0016_topic_slugs_fit_addresses")]

    operations = [on_postgresql(CREATE, DROP)]
