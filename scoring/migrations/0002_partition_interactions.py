"""On PostgreSQL, replace the (still empty) interaction table with one range-partitioned by
month, with the same columns and primary key. Partitions are created on demand by
scoring.partitions. Other databases keep the plain table."""

from django.db import migrations

PARTITIONED_TABLE = """
DROP TABLE scoring_interaction;
CREATE TABLE scoring_interaction (
    actor_id bigint NOT NULL,
    target_id bigint NOT NULL,
    kind smallint NOT NULL CHECK (kind >= 0),
    occurred_at timestamp with time zone NOT NULL,
    post_id bigint NULL,
    CONSTRAINT scoring_interaction_pkey PRIMARY KEY (occurred_at, actor_id, target_id, kind)
) PARTITION BY RANGE (occurred_at);
"""


def partition_interactions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PARTITIONED_TABLE)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    # Irreversible: going back and forth would drop the partitioned table with its data.
    operations = [migrations.RunPython(partition_interactions)]
