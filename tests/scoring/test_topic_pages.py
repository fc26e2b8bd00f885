"""The topic pages: the index by broad area, and a topic with its leaderboard."""

import pytest

from scoring.models import HiddenTopic, Person, PersonTopic, Topic, TopicStatus

pytestmark = pytest.mark.django_db


def topic(slug, *, parents=(), status=TopicStatus.APPROVED, **fields):
    made = Topic.objects.create(
        slug=slug, name=slug.replace("-", " ").title(), status=status, **fields
    )
    made.parents.set(parents)
    return made


def influential(on, *scores, **fields):
    """People with these topic scores on `on`, named Person 0, Person 1 … in that order."""
    people = Person.objects.bulk_create(
        Person(display_name=f"Person {n}", score=40 + n % 50, **fields) for n in range(len(scores))
    )
    PersonTopic.objects.bulk_create(
        PersonTopic(person=person, topic=on, score=score)
        for person, score in zip(people, scores, strict=True)
    )
    return people


def section(body, heading_id):
    return body.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_the_index_groups_public_topics_by_area(client, django_assert_num_queries):
    technology = Topic.objects.get(slug="technology")
    topic("zettabyte-storage", parents=[technology])
    topic("secret-gadgets", parents=[technology], is_sensitive=True)
    topic("hoverboards", parents=[technology], status=TopicStatus.PENDING)

    with django_assert_num_queries(2):  # areas, their children
        body = client.get("/topics/").content.decode()

    assert body.count('<section class="card"') == 16
    area = section(body, "area-technology")
    assert '<a href="/t/technology/">Technology</a>' in area
    assert area.index(">Artificial Intelligence</a>") < area.index(">Programming</a>")
    assert '<a href="/t/zettabyte-storage/">Zettabyte Storage</a>' in area
    assert "Secret Gadgets" not in body
    assert "Hoverboards" not in body
    assert '<a href="/topics/">Topics</a>' in body


def test_a_topic_shows_its_description_and_public_parents_and_children(client):
    technology = Topic.objects.get(slug="technology")
    hidden_parent = topic("hidden-parent", is_sensitive=True)
    widgets = topic(
        "widgets", parents=[technology, hidden_parent], description="Small useful gadgets."
    )
    topic("smart-widgets", parents=[widgets])
    topic("pending-widgets", parents=[widgets], status=TopicStatus.PENDING)

    body = client.get("/t/widgets/").content.decode()

    assert '<h1 id="topic-name">Widgets</h1>' in body
    assert "Small useful gadgets." in body
    assert '<a href="/t/technology/">Technology</a>' in section(body, "parents")
    assert "Hidden Parent" not in body
    assert '<a href="/t/smart-widgets/">Smart Widgets</a>' in section(body, "children")
    assert "Pending Widgets" not in body


def test_the_leaderboard_ranks_people_and_leaves_out_who_opted_out_or_hid_it(client):
    widgets = topic("widgets")
    first, second, tied = influential(widgets, 90, 70.4, 70.4)
    influential(widgets, 99, opted_out=True)
    (hiding,) = influential(widgets, 95)
    HiddenTopic.objects.create(person=hiding, topic=widgets)

    body = client.get("/t/widgets/").content.decode()

    board = section(body, "leaderboard")
    assert '<ol class="results leaderboard" start="1">' in board
    assert board.count('<li class="result">') == 3
    links = [f'href="/p/{person.public_id}/">{person}</a>' for person in (first, second, tied)]
    assert [board.index(link) for link in links] == sorted(board.index(link) for link in links)
    assert (
        '<span class="topic-score"><span class="score-name">topic score</span> 90'
        '<span class="visually-hidden"> on Widgets,'
    ) in board
    assert (
        '<span class="score-name"><span aria-hidden="true">· </span>overall</span> '
        f'<span class="chip"><span class="visually-hidden">Sway score </span>{first.score:.0f}'
    ) in " ".join(board.split())
    assert "3 people" in board


def test_the_leaderboard_pages_by_25(client):
    widgets = topic("widgets")
    people = influential(widgets, *range(100, 60, -1))

    body = client.get("/t/widgets/", {"page": 2}).content.decode()

    assert '<ol class="results leaderboard" start="26">' in body
    assert body.count('<li class="result">') == 15
    assert f'href="/p/{people[25].public_id}/"' in body
    assert f'href="/p/{people[24].public_id}/"' not in body
    assert "Page 2 of 2" in body
    assert '<a href="?page=1">Previous</a>' in body


@pytest.mark.parametrize("people", [3, 40])
def test_a_topic_page_runs_the_same_queries_whatever_the_number_of_people(
    client, django_assert_num_queries, people
):
    widgets = topic("widgets", parents=[Topic.objects.get(slug="technology")])
    influential(widgets, *range(people))

    with django_assert_num_queries(5):  # topic, parents, children, count, page
        client.get("/t/widgets/")


def test_a_broad_topic_names_the_people_of_its_narrower_topics_instead_of_nobody(
    client, django_assert_num_queries
):
    gadgets = topic("gadgets")
    widgets = topic("widgets", parents=[gadgets])
    topic("doohickeys", parents=[gadgets])
    topic("sprockets", parents=[gadgets], is_sensitive=True)
    *_, hiding = influential(widgets, 80, 70, 60)
    influential(widgets, 90, opted_out=True)
    HiddenTopic.objects.create(person=hiding, topic=widgets)
    influential(topic("smart-widgets", parents=[widgets]), 50)

    with django_assert_num_queries(4):  # topic, parents, children with their people, count
        body = client.get("/t/gadgets/").content.decode()

    children = section(body, "children")
    assert '<a href="/t/widgets/">Widgets</a> <span class="muted">2 people</span>' in children
    assert '<a href="/t/doohickeys/">Doohickeys</a> <span class="muted">0 people</span>' in children
    assert "Sprockets" not in body
    board = section(body, "leaderboard")
    assert "Nobody is influential about Gadgets" not in board
    assert (
        "Nobody is ranked on Gadgets as a whole yet: its narrower topics above rank the people "
        "influential about each of them."
    ) in board


def test_a_topic_nobody_is_influential_about_says_how_topics_are_earned(client):
    topic("widgets")

    body = client.get("/t/widgets/").content.decode()

    assert "Nobody is influential about Widgets yet" in body
    assert "several posts about it that several people engaged with" in body


@pytest.mark.parametrize(
    "fields",
    [{"status": TopicStatus.PENDING}, {"status": TopicStatus.BANNED}, {"is_sensitive": True}],
)
def test_a_topic_not_public_has_no_page(client, fields):
    topic("widgets", **fields)

    assert client.get("/t/widgets/").status_code == 404
    assert client.get("/t/no-such-topic/").status_code == 404


def test_a_merged_topic_leads_to_the_one_it_became_for_good(client):
    gadgets = topic("gadgets")
    topic("widgets", status=TopicStatus.MERGED, merged_into=gadgets)
    topic("doohickeys", status=TopicStatus.MERGED, merged_into=Topic.objects.get(slug="widgets"))

    for slug in ("widgets", "doohickeys"):
        response = client.get(f"/t/{slug}/")
        assert (response.status_code, response.url) == (301, "/t/gadgets/")


def test_a_topic_merged_into_one_not_public_has_no_page(client):
    topic("widgets", status=TopicStatus.MERGED, merged_into=topic("gadgets", is_sensitive=True))

    assert client.get("/t/widgets/").status_code == 404


def test_a_profile_and_search_link_topics_to_their_pages(client):
    widgets = topic("widgets")
    (person,) = influential(widgets, 80)

    profile = client.get(f"/p/{person.public_id}/").content.decode()
    search = client.get("/search/", {"q": "Person 0"}).content.decode()

    assert '<a class="topic" href="/t/widgets/">Widgets</a>' in profile
    assert '<a href="/t/widgets/">Widgets</a>' in search
    assert (
        f'href="/p/{person.public_id}/">Person 0</a>' in client.get("/t/widgets/").content.decode()
    )
