"""On PostgreSQL, a BRIN index of Bluesky records' times, for forgetting those past the window
(scoring.services.bluesky_records): records come in time order, so a summary of each range of
pages finds them without a B-tree's cost at every insert. Other databases scan."""

from django.db import migrations

from scoring.migrations._postgres import on_postgresql

CREATE = """
CREATE INDEX scoring_blueskyrecord_occurred_brin ON scoring_blueskyrecord USING brin (occurred_at);
"""
DROP = "DROP INDEX IF EXISTS scoring_blueskyrecord_occurred_brin;"


class Migration(migrations.Migration):
    dependencies = [("scoring", "0021_score_persistence")]

    operations = [on_postgresql(CREATE, DROP)]
