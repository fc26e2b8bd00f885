"""Staff moderate the taxonomy in the admin: merge, ban, approve, edit, mark sensitive, settle
reports. Each action is checked end to end, through the admin's own forms, and is logged."""

from datetime import UTC, datetime

import pytest

from marketplace.errors import ApplicationError
from marketplace.models import Notification
from scoring.models import (
    Endorsement,
    Handle,
    HiddenTopic,
    ModerationLogEntry,
    Person,
    PersonTopic,
    Post,
    Topic,
    TopicEvidence,
    TopicReport,
)
from scoring.services.topic_moderation import topic_merge
from tests.factories import UserFactory
from tests.scoring.worlds import handle, said, score_days, share, write_and_import

pytestmark = pytest.mark.django_db

FANS = [f"f{n}" for n in range(20)]
TOPICS = "/admin/scoring/topic/"


@pytest.fixture
def staff(client):
    moderator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(moderator)
    return moderator


@pytest.fixture
def dessert_world(tmp_path):
    """Bob posts about gelato three times, Dana about ice cream twice and gelato once; each
    post is shared by several fans. Gelato and Ice Cream are two topics, for now."""
    Topic.objects.create(slug="ice-cream", name="Ice Cream", status="approved")
    Topic.objects.create(slug="gelato", name="Gelato", aliases=["gelati"], status="approved")
    records = [handle(h, h, h.title()) for h in ("bob", "dana", *FANS)]
    for n in range(3):
        records += [said(f"b{n}", "bob", f"Gelato number {n}")]
        records += [share(f, "bob", f"b{n}", day=15 + n) for f in FANS[5 * n : 5 * n + 5]]
    for n, text in enumerate(["Ice cream tasting", "More ice-cream", "A gelato at last"]):
        records += [said(f"d{n}", "dana", text)]
        records += [share(f, "dana", f"d{n}", day=18) for f in FANS[4 * n : 4 * n + 4]]
    write_and_import(tmp_path, records)
    score_days(22)


def topic(slug):
    return Topic.objects.get(slug=slug)


def person(username):
    return Handle.objects.get(username=username).person


def topics_of(username):
    rows = PersonTopic.objects.filter(person=person(username)).select_related("topic")
    return {row.topic.slug for row in rows}


def tagged(slug):
    return set(topic(slug).posts.values_list("external_id", flat=True))


def log(slug):
    return list(topic(slug).moderation_log.values_list("moderator__email", "action", "detail"))


def act(client, action, *rows, url=TOPICS, **data):
    return client.post(
        url, {"action": action, "_selected_action": [row.pk for row in rows], **data}, follow=True
    )


def test_merging_moves_people_posts_endorsements_links_and_names(
    client, staff, dessert_world, django_capture_on_commit_callbacks
):
    gelato, ice_cream = topic("gelato"), topic("ice-cream")
    assert topics_of("bob") == {"gelato"}
    assert topics_of("dana") == {"ice-cream"}
    food = topic("food-and-drink")
    stracciatella = Topic.objects.create(slug="stracciatella", name="Stracciatella")
    gelato.parents.add(food)
    stracciatella.parents.add(gelato)
    bob, dana = person("bob"), person("dana")
    Endorsement.objects.create(giver=dana, receiver=bob, topic=gelato)
    HiddenTopic.objects.create(person=dana, topic=gelato)
    HiddenTopic.objects.create(person=dana, topic=ice_cream)

    asked = act(client, "merge", gelato)
    assert "Merge topics" in asked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = act(client, "merge", gelato, apply="Merge", target=ice_cream.pk)

    assert "Merged into Ice Cream: 1." in done.content.decode()
    gelato.refresh_from_db()
    ice_cream.refresh_from_db()
    assert (gelato.status, gelato.merged_into) == ("merged", ice_cream)
    assert ice_cream.aliases == ["Gelato", "gelati"]
    assert tagged("ice-cream") == {"b0", "b1", "b2", "d0", "d1", "d2"}
    assert not tagged("gelato")
    assert topics_of("bob") == {"ice-cream"}
    assert Endorsement.objects.get().topic == ice_cream
    assert list(HiddenTopic.objects.values_list("topic__slug", flat=True)) == ["ice-cream"]
    assert list(ice_cream.parents.all()) == [food]
    assert not gelato.parents.exists()
    assert list(stracciatella.parents.all()) == [ice_cream]
    assert log("gelato") == [(staff.email, "merge", f"into Ice Cream (#{ice_cream.pk})")]
    assert log("ice-cream") == [(staff.email, "merge", f"Gelato (#{gelato.pk}) merged in")]

    score_days(23)  # the next daily run finds the same: Gelato is Ice Cream now
    assert topics_of("bob") == {"ice-cream"}
    assert not PersonTopic.objects.filter(topic=gelato).exists()
    assert client.get("/t/gelato/").url == "/t/ice-cream/"


def test_a_person_on_both_topics_keeps_the_better_score(staff, dessert_world):
    dana = person("dana")
    better = PersonTopic.objects.get(person=dana).score + 10
    PersonTopic.objects.create(person=dana, topic=topic("gelato"), score=better)

    topic_merge(moderator=staff, source=topic("gelato"), target=topic("ice-cream"))

    assert list(PersonTopic.objects.filter(person=dana).values_list("topic__slug", "score")) == [
        ("ice-cream", better)
    ]


@pytest.mark.parametrize(
    ("source", "target", "error"),
    [
        ("gelato", "gelato", "A topic cannot be merged into itself."),
        ("gelato", "banned", "Banned is banned."),
        ("merged", "gelato", "Merged was already merged."),
    ],
)
def test_a_merge_that_makes_no_sense_is_refused(staff, dessert_world, source, target, error):
    Topic.objects.create(slug="banned", name="Banned", status="banned")
    Topic.objects.create(slug="merged", name="Merged", status="merged", merged_into=topic("gelato"))

    with pytest.raises(ApplicationError, match=error):
        topic_merge(moderator=staff, source=topic(source), target=topic(target))


def test_a_reported_topic_banned_from_the_queue_is_gone_everywhere(client, dessert_world, tmp_path):
    dana = person("dana")
    reporter = UserFactory()
    client.force_login(reporter)
    client.post(f"/p/{dana.public_id}/report/{topic('ice-cream').pk}/", {"reason": "Spam"})
    moderator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(moderator)

    queue = client.get("/admin/scoring/topicreport/?state=open").content.decode()
    assert "Ice Cream" in queue
    assert "Spam" in queue
    act(client, "ban_topic", TopicReport.objects.get(), url="/admin/scoring/topicreport/")

    assert topic("ice-cream").status == "banned"
    assert TopicReport.objects.get().resolved_at is not None
    assert not tagged("ice-cream")
    assert topics_of("dana") == set()
    assert "Ice Cream" not in client.get(f"/p/{dana.public_id}/").content.decode()
    assert client.get("/t/ice-cream/").status_code == 404
    write_and_import(tmp_path, [said("d9", "dana", "Ice cream, again", day=21)])
    score_days(23)
    assert not tagged("ice-cream")
    assert topics_of("dana") == set()
    assert log("ice-cream") == [(moderator.email, "ban", "")]


def test_approving_a_topic_matches_the_posts_of_the_window(
    client, staff, dessert_world, tmp_path, django_capture_on_commit_callbacks
):
    write_and_import(tmp_path, [said("d8", "dana", "Lemon sorbet for everyone", day=20)])
    sorbet = Topic.objects.create(slug="sorbet", name="Sorbet")

    with django_capture_on_commit_callbacks(execute=True):
        act(client, "approve", sorbet)

    assert topic("sorbet").status == "approved"
    assert tagged("sorbet") == {"d8"}
    assert log("sorbet") == [(staff.email, "approve", "")]


def test_an_approved_topic_finds_its_people_at_once_and_the_moderator_is_told(
    client, staff, dessert_world, tmp_path, django_capture_on_commit_callbacks
):
    records = []
    for n in range(3):
        records += [said(f"s{n}", "bob", f"Lemon #sorbet number {n}", day=18)]
        records += [share(f, "bob", f"s{n}", day=19 + n) for f in FANS[:6]]
    write_and_import(tmp_path, records)
    sorbet = Topic.objects.create(slug="sorbet", name="Sorbet")
    assert "sorbet" not in topics_of("bob")

    with django_capture_on_commit_callbacks(execute=True):
        said_in_admin = act(client, "approve", sorbet).content.decode()

    assert "your inbox says when" in said_in_admin
    assert "sorbet" in topics_of("bob")
    assert "Bob" in topic_page(client, sorbet)
    told = Notification.objects.get(user=staff, kind="moderation")
    assert told.subject == "Sorbet is matched"
    assert told.body.startswith("3 posts of the last 90 days are about Sorbet. 1 person is")
    assert told.url == "/t/sorbet/"
    assert told.emailed_at is None


def topic_page(client, topic):
    return client.get(f"/t/{topic.slug}/").content.decode()


def test_an_edit_renames_and_sets_parents_in_one_logged_change(client, staff, dessert_world):
    gelato, food = topic("gelato"), topic("food-and-drink")
    form = {"name": "Gelato (Italian)", "slug": "gelato", "description": "Italian ice cream.",
            "aliases": "gelati\r\ngelatini\r\n", "keywords": "", "parents": [food.pk],
            "wikidata_id": ""}  # fmt: skip

    response = client.post(f"{TOPICS}{gelato.pk}/change/", form)

    assert response.status_code == 302
    gelato.refresh_from_db()
    assert gelato.name == "Gelato (Italian)"
    assert list(gelato.parents.all()) == [food]
    [(who, action, detail)] = log("gelato")
    assert (who, action) == (staff.email, "edit")
    assert "name: 'Gelato' → 'Gelato (Italian)'" in detail
    assert "aliases: ['gelati'] → ['gelati', 'gelatini']" in detail
    assert "parents: none → Food and Drink" in detail


def test_a_topic_cannot_become_its_own_ancestor(client, staff, dessert_world):
    gelato, ice_cream = topic("gelato"), topic("ice-cream")
    gelato.parents.add(ice_cream)
    form = {"name": "Ice Cream", "slug": "ice-cream", "description": "", "aliases": "",
            "keywords": "", "parents": [gelato.pk], "wikidata_id": ""}  # fmt: skip

    response = client.post(f"{TOPICS}{ice_cream.pk}/change/", form)

    assert "nor the child of one of its descendants" in response.content.decode()
    assert not ice_cream.parents.exists()
    assert log("ice-cream") == []


def test_a_sensitive_topic_leaves_profiles_and_its_reports_are_settled(
    client, staff, dessert_world
):
    dana = person("dana")
    TopicReport.objects.create(reporter=staff, person=dana, topic=topic("ice-cream"))

    act(client, "mark_sensitive", topic("ice-cream"))

    assert topic("ice-cream").is_sensitive
    assert topics_of("dana") == {"ice-cream"}  # kept, but shown to nobody
    assert "Ice Cream" not in client.get(f"/p/{dana.public_id}/").content.decode()
    assert TopicReport.objects.get().resolved_at is not None
    act(client, "mark_not_sensitive", topic("ice-cream"))
    assert [action for _, action, _ in log("ice-cream")] == ["not-sensitive", "sensitive"]


def test_a_report_can_hide_the_topic_from_that_profile_alone(client, staff, dessert_world):
    bob, dana = person("bob"), person("dana")
    reports = [
        TopicReport.objects.create(reporter=reporter, person=dana, topic=topic("ice-cream"))
        for reporter in (staff, UserFactory())
    ]

    hidden = act(client, "hide_on_profile", *reports, url="/admin/scoring/topicreport/")

    assert HiddenTopic.objects.filter(person=dana, topic=topic("ice-cream")).exists()
    assert not HiddenTopic.objects.filter(person=bob).exists()
    assert topic("ice-cream").status == "approved"
    assert set(TopicReport.objects.values_list("outcome", flat=True)) == {"hidden on that profile"}
    page = hidden.content.decode()
    assert "Hidden on the profile: 1." in page
    assert "It was settled already: hidden on that profile." in page
    dismissed = act(client, "dismiss", reports[0], url="/admin/scoring/topicreport/")
    assert "It was settled already" in dismissed.content.decode()
    assert [action for _, action, _ in log("ice-cream")] == ["hide-on-profile"]
    assert log("ice-cream")[0][2] == f"on the profile of Dana (/p/{dana.public_id}/)"


def test_a_proposed_topic_shows_its_evidence(client, staff, dessert_world):
    candidate = Topic.objects.create(slug="gelatofest", name="GelatoFest")
    evidence = TopicEvidence.objects.create(
        topic=candidate, hashtag="#gelatofest", people=30, posts=41,
        counted_since=datetime(2026, 11, 15, tzinfo=UTC),
        counted_at=datetime(2026, 11, 22, tzinfo=UTC),
    )  # fmt: skip
    evidence.samples.set(Post.objects.filter(external_id="b0"))

    page = client.get(f"{TOPICS}{candidate.pk}/change/").content.decode()

    assert "#gelatofest used by 30 people in 41 posts since 2026-11-15." in page
    assert "twitter:@bob: “Gelato number 0”" in page


def test_moderation_is_for_staff_and_the_log_cannot_be_rewritten(client, staff, dessert_world):
    act(client, "approve", topic("gelato"))  # already approved: nothing to log
    act(client, "ban", topic("gelato"))
    act(client, "ban", topic("gelato"))  # banned already: logged once
    assert "Banned" in client.get("/admin/scoring/moderationlogentry/").content.decode()
    entry = ModerationLogEntry.objects.get()
    assert client.post(f"/admin/scoring/moderationlogentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"{TOPICS}{topic('gelato').pk}/delete/").status_code == 403

    client.force_login(UserFactory())
    assert client.get(TOPICS).status_code == 302  # to the admin's log-in page
    assert Person.objects.count() == 22
