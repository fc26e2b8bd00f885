"""Topics imported from the Klout ontology before its slugs were made to fit an address
("a$ap-rocky", "r/ga", "réunion") get the slug the importer now gives them, so that every
topic has a page and a link to it."""

from django.db import migrations
from django.utils.text import slugify


def fit_slugs(apps, schema_editor):
    Topic = apps.get_model("scoring", "Topic")
    taken = set(Topic.objects.values_list("slug", flat=True))
    for topic in Topic.objects.all().only("pk", "slug"):
        fitting = slugify(topic.slug) or f"topic-{topic.pk}"
        if fitting == topic.slug:
            continue
        if fitting in taken:
            fitting = f"{fitting}-{topic.pk}"
        taken.add(fitting)
        Topic.objects.filter(pk=topic.pk).update(slug=fitting)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0015_model_backtest")]

    operations = [migrations.RunPython(fit_slugs, migrations.RunPython.noop)]
