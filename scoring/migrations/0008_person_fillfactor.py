"""On PostgreSQL, leave 40 % of each person page free: the daily run rewrites every scored
person's row, and with room on the page PostgreSQL updates it in place (a HOT update) without
touching the four indexes, the trigram one above all. New pages are filled so from now on;
`VACUUM FULL scoring_person` repacks old ones."""

from django.db import migrations

from scoring.migrations._postgres import fillfactor


class Migration(migrations.Migration):
    dependencies = [("scoring", "0007_endorsements_hidden_topics_reports")]

    operations = [fillfactor("scoring_person", 60)]
