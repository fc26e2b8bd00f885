import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import Topic, TopicStatus
from scoring.taxonomy import load_starter_taxonomy, starter_taxonomy

pytestmark = pytest.mark.django_db

KLOUT = Path(__file__).parent / "data" / "klout"  # an excerpt: see its README


def import_klout(directory=KLOUT):
    call_command("import_topics", klout_ontology=str(directory))


def parents(slug):
    return sorted(Topic.objects.get(slug=slug).parents.values_list("slug", flat=True))


def test_starter_taxonomy_has_16_areas_and_about_200_topics_with_aliases():
    data = starter_taxonomy()

    assert len(data["areas"]) == 16
    assert 190 <= len(data["topics"]) <= 215
    assert sum(len(t["aliases"]) for t in data["topics"]) > 150


def test_migrations_load_the_starter_taxonomy_and_loading_again_adds_nothing():
    load_starter_taxonomy(Topic)  # a transactional test may have emptied the table

    assert load_starter_taxonomy(Topic) == 0
    assert Topic.objects.filter(is_area=True).count() == 16
    assert Topic.objects.count() == 16 + len(starter_taxonomy()["topics"])
    ai = Topic.objects.get(slug="artificial-intelligence")
    assert (ai.status, "AI" in ai.aliases) == (TopicStatus.APPROVED, True)
    assert parents("artificial-intelligence") == ["technology"]


def test_imports_the_real_klout_ontology_with_its_parents(capsys):
    load_starter_taxonomy(Topic)

    import_klout()

    out, err = capsys.readouterr()
    assert out.startswith("topics created 38, updated 27; parent links added 59")
    assert "rows skipped 1" in out
    assert "klout_topic_edge_20180601.csv:88: unknown parent topic 8067190039628328240" in err
    assert Topic.objects.filter(is_area=True).count() == 16
    zumba = Topic.objects.get(klout_id="2")
    assert (zumba.slug, zumba.name, zumba.wikidata_id) == ("zumba", "Zumba", "Q229680")
    assert Topic.objects.get(klout_id="10000000000000016624").slug == "location"
    technology = Topic.objects.get(slug="technology")  # the area, and Klout's ordinary topic
    assert (technology.is_area, technology.klout_id) == (True, "5646379875885211920")
    assert "television" in parents("talk-show")


def test_the_option_without_a_directory_imports_the_shipped_ontology(capsys, monkeypatch, tmp_path):
    load_starter_taxonomy(Topic)
    monkeypatch.chdir(tmp_path)  # found beside the code, wherever the command runs

    call_command("import_topics", "--klout-ontology")

    out, err = capsys.readouterr()
    assert out.startswith("topics created 7,860, updated 167; parent links added 13,314")
    assert "scoring/data/klout-topics/klout_topic_edge_20180601.csv:131: unknown parent" in err
    # six areas ("technology-super") are one topic with Klout's ordinary twin ("technology")
    assert Topic.objects.exclude(klout_id="").count() == 8_033 - 6
    assert Topic.objects.filter(is_area=True).count() == 16


def test_reimporting_updates_nothing_and_keeps_moderation(capsys):
    load_starter_taxonomy(Topic)
    import_klout()
    Topic.objects.filter(slug="zumba").update(status=TopicStatus.BANNED, name="Zumba (banned)")
    count = Topic.objects.count()
    capsys.readouterr()

    import_klout()

    assert capsys.readouterr().out.startswith(
        "topics created 0, updated 0; parent links added 0; rows skipped 1"
    )
    assert Topic.objects.count() == count
    zumba = Topic.objects.get(klout_id="2")
    assert (zumba.status, zumba.name) == (TopicStatus.BANNED, "Zumba (banned)")


def test_a_directory_without_the_ontology_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is missing: is this the Klout ontology directory"):
        import_klout(tmp_path)

    assert not Topic.objects.filter(klout_id__gt="").exists()


def test_a_malformed_row_is_skipped_and_reported(tmp_path, capsys):
    for name in ("klout_topic_ontology_20180601.csv", "klout_topic_edge_20180601.csv"):
        shutil.copy(KLOUT / name, tmp_path / name)
    with (tmp_path / "klout_topic_ontology_20180601.csv").open("a") as file:
        file.write('"not-a-number","broken","Broken","",""\n"7","only-two"\n"8","$!","S","",""\n')

    import_klout(tmp_path)

    err = capsys.readouterr().err
    assert ":70: needs a numeric id, a slug and a name" in err
    assert ":71: expected 5 fields, found 2" in err
    assert ":72: slug '$!' has no letter or digit" in err
    assert not Topic.objects.filter(slug__in=["broken", "only-two"]).exists()


def test_every_imported_topic_has_a_page_and_working_links(client):
    load_starter_taxonomy(Topic)
    import_klout()

    slugs = dict(Topic.objects.filter(klout_id__gt="").values_list("name", "slug"))
    pages = {slug: client.get(f"/t/{slug}/") for slug in slugs.values()}

    assert {name: slugs[name] for name in ("A$AP Rocky", "R/GA", "Réunion", "UCLA")} == {
        "A$AP Rocky": "aap-rocky", "R/GA": "rga", "Réunion": "reunion", "UCLA": "ucla",
    }  # fmt: skip
    assert {slug for slug, page in pages.items() if page.status_code != 200} == set()
    assert 'href="/t/aap-rocky/"' in client.get("/t/music/").content.decode()


def test_the_topic_index_credits_klout_once_its_topics_are_imported(client):
    load_starter_taxonomy(Topic)
    credit = "Klout, <cite>Klout Topic Ontology</cite>, 2015"
    assert credit not in client.get("/topics/").content.decode()

    import_klout()

    assert credit in client.get("/topics/").content.decode()
