from django.db import migrations

from scoring.taxonomy import load_starter_taxonomy


def load(apps, schema_editor):
    load_starter_taxonomy(apps.get_model("scoring", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("scoring", "0002_partition_interactions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
