"""On PostgreSQL, leave 25 % of each handle page free: Bluesky's stream counts followers by
updating handles, thousands a batch, and with room on the page PostgreSQL updates a row in
place (a HOT update) without touching the handles' five indexes, the trigram one above all
(docs/PERFORMANCE.md, "Room for follower counts"). New pages are filled so from now on;
`VACUUM FULL scoring_handle` repacks old ones."""

from django.db import migrations

from scoring.migrations._postgres import fillfactor


class Migration(migrations.Migration):
    dependencies = [("scoring", "0023_bluesky_record_key_time_first")]

    operations = [fillfactor("scoring_handle", 75)]
