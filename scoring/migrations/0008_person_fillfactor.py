"""On PostgreSQL, leave 40 % of each person page free: the daily run rewrites every scored
person's row, and with room on the page PostgreSQL updates it in place (a HOT update) without
touching the four indexes, the trigram one above all. New pages are filled so from now on;
`VACUUM FULL scoring_person` repacks old ones."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE scoring_person SET (fillfactor = 60)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE scoring_person RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0007_endorsements_hidden_topics_reports")]

    operations = [migrations.RunPython(forwards, backwards)]
