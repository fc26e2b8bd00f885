"""Posts lose the index of their handle alone: the two composite ones start with it, and with
it PostgreSQL, its statistics a little stale, looked posts up by handle and filtered by
external id (docs/PERFORMANCE.md, "Bluesky's stream")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0024_handle_fillfactor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="post",
            name="handle",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="posts",
                to="scoring.handle",
            ),
        ),
    ]
