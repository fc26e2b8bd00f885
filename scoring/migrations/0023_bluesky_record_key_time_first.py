"""Bluesky records keyed by their record key first: record keys are TIDs, which rise with
time, so each new record goes to the right edge of the key's index, where its pages are in
memory, instead of anywhere among the DIDs (docs/PERFORMANCE.md, "The record key first": at 8
million records, 6.8 µs a record kept instead of 20.4, and an index a quarter smaller). Django does not alter a composite primary key itself; on SQLite the order stays as
it was, which changes nothing but speed. On a large table, build the new index CONCURRENTLY
first and attach it (ADD PRIMARY KEY USING INDEX) to avoid a long lock."""

from django.db import migrations, models

from scoring.migrations._postgres import on_postgresql

PRIMARY_KEY = """
ALTER TABLE scoring_blueskyrecord DROP CONSTRAINT scoring_blueskyrecord_pkey,
    ADD CONSTRAINT scoring_blueskyrecord_pkey PRIMARY KEY ({});
"""


class Migration(migrations.Migration):
    dependencies = [("scoring", "0022_bluesky_record_times")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                on_postgresql(
                    PRIMARY_KEY.format("rkey, did, collection"),
                    PRIMARY_KEY.format("did, collection, rkey"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="blueskyrecord",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "rkey", "did", "collection", blank=True, editable=False,
                        primary_key=True, serialize=False,
                    ),  # fmt: skip
                ),
            ],
        )
    ]
