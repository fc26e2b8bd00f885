"""The database's cache table, which serves while the shared cache (Redis) cannot be reached
(marketplace.failover_cache); `migrate` makes it, so no deployment step can forget it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0005_notification_unsent")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
