"""On PostgreSQL, a BRIN index of Bluesky records' times, for forgetting those past the window
(scoring.services.bluesky_records): records come in time order, so a summary of each range of
pages finds them without a B-tree's cost at every insert. Other databases scan."""

from django.db import migrations

CREATE = """
CREATE INDEX scoring_blueskyrecord_occurred_brin ON scoring_blueskyrecord USING brin (occurred_at);
"""
DROP = "DROP INDEX IF EXISTS scoring_blueskyrecord_occurred_brin;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0021_score_persistence")]

    operations = [migrations.RunPython(forwards, backwards)]
