"""The audience panel of the campaign builder: how many people a target takes in, how their
scores spread, their top topics and countries, a few of them, and why there are so few; in a
fixed number of statements, never showing a topic or a person it must not."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Brand, Membership, Role
from campaigns.selectors.audience import EXACT, TOPICS_READ, audience
from campaigns.selectors.targeting import Target
from scoring.models import HiddenTopic, Person, PersonTopic, Topic, TopicStatus
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory
from tests.robustness.hostile import HOSTILE_TEXT, in_url

pytestmark = pytest.mark.django_db

URL = "/brands/acme/estimate/"


def member(brand, role):
    user = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=user, role=role)
    return user


def topic(slug, **fields):
    return Topic.objects.create(
        slug=slug, name=slug.title(), status=fields.pop("status", TopicStatus.APPROVED), **fields
    )


def holding(person, *topics):
    for held in topics:
        PersonTopic.objects.create(person=person, topic=held, score=50)
    return person


@pytest.fixture
def world(db):
    """Six people from 40 up (two with accounts) and one opted out above them all; jazz is
    public, secrets is sensitive and rumours pending, and everyone holds all three."""
    jazz, secrets = topic("jazz"), topic("secrets", is_sensitive=True)
    rumours = topic("rumours", status=TopicStatus.PENDING)
    people = [
        person_of(score=95, country="IE", display_name="Aoife"),
        person_of(score=72, country="FR", display_name="Brigitte"),
        Person.objects.create(score=61, country="FR", display_name="Colette"),
        Person.objects.create(score=55, country="FR", display_name="Denise"),
        Person.objects.create(score=44, country="", display_name="Eve"),
        Person.objects.create(score=40, country="CA", display_name="Fern"),
        Person.objects.create(score=30, country="CA", display_name="Below"),
    ]
    for person in people[:4]:
        holding(person, jazz, secrets, rumours)
    gone = Person.objects.create(score=99, country="IE", display_name="Gone", opted_out=True)
    holding(gone, jazz, secrets, rumours)
    return {"jazz": jazz, "secrets": secrets, "rumours": rumours, "people": people}


def test_the_audience_counts_spreads_and_shows_its_people(world):
    found = audience(target=Target(40))

    assert (found.people, found.reachable, found.sampled) == (6, 2, None)
    assert [(b.label, b.people) for b in found.bins] == [
        ("40–45", 2), ("46–51", 0), ("52–57", 1), ("58–63", 1), ("64–69", 0), ("70–75", 1),
        ("76–81", 0), ("82–87", 0), ("88–93", 0), ("94–100", 1),
    ]  # fmt: skip
    assert [(t.label, t.people, t.percent) for t in found.topics] == [("Jazz", 4, 67)]
    assert [(c.label, c.people) for c in found.countries] == [
        ("France", 3),
        ("Canada", 1),
        ("Ireland", 1),
    ]
    assert [e.name for e in found.examples] == ["Aoife", "Brigitte", "Colette"]
    assert found.narrowing == ()  # six is few, but only the score band took them in


def test_a_narrow_band_has_a_bin_for_each_score(world):
    found = audience(target=Target(55, 57))

    assert [(b.label, b.people) for b in found.bins] == [("55", 1), ("56", 0), ("57", 0)]


def test_sensitive_pending_and_hidden_topics_never_count(world):
    HiddenTopic.objects.create(person=world["people"][0], topic=world["jazz"])

    found = audience(target=Target(40))

    assert [(t.label, t.people) for t in found.topics] == [("Jazz", 3)]


def test_an_opted_out_person_is_never_an_example_nor_counted(world):
    found = audience(target=Target(90))

    assert (found.people, [e.name for e in found.examples]) == (1, ["Aoife"])


def test_a_small_audience_says_what_each_filter_left(world):
    found = audience(target=Target(40, None, (world["jazz"].pk,), ("IE",)))

    assert [(n.filter, n.left, n.of) for n in found.narrowing] == [
        ("score band", 6, None), ("topic", 4, 6), ("country", 1, 4)
    ]  # fmt: skip


def test_the_filters_are_listed_only_up_to_the_first_that_leaves_nobody(world):
    nobody = topic("polka")
    found = audience(target=Target(40, None, (nobody.pk,), ("IE",)))
    assert [(n.filter, n.left, n.of) for n in found.narrowing] == [
        ("score band", 6, None), ("topic", 0, 6)
    ]  # fmt: skip

    found = audience(target=Target(99, None, (world["jazz"].pk,), ("IE",)))
    assert [(n.filter, n.left, n.of) for n in found.narrowing] == [("score band", 0, None)]


def test_the_panel_says_nobody_can_be_told_and_names_the_countries(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    page = client.post(URL, {"min_score": "50", "countries": ["FR"]}).content.decode()
    page = re.sub(r"\s+", " ", page)

    assert "<strong>3</strong> people qualify now; 1 of them has a Sway account" in page
    page = client.post(URL, {"min_score": "55", "max_score": "61"}).content.decode()
    assert "none of them can be told yet: they have no Sway account." in re.sub(r"\s+", " ", page)
    assert "France <span" in client.post(URL, {"min_score": "40"}).content.decode()


def test_the_panel_sends_its_one_line_summary_along(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))
    htmx = {"HX-Request": "true"}

    page = client.post(URL, {"min_score": "40"}, headers=htmx).content.decode()
    assert '<span id="audience-summary" hx-swap-oob="true">6 qualify</span>' in page
    page = client.post(URL, {"min_score": "95"}, headers=htmx).content.decode()
    assert '<span id="audience-summary" hx-swap-oob="true">1 qualifies</span>' in page
    page = client.post(URL, {"min_score": "60", "max_score": "4"}, headers=htmx).content.decode()
    assert ">A mistake in the targeting</span>" in page
    assert "audience-summary" not in client.post(URL, {"min_score": "40"}).content.decode()


def test_a_city_filter_is_named_as_such(world):
    Person.objects.filter(display_name="Fern").update(place="Lyon")

    found = audience(target=Target(40, None, (), (), ("lyon",)))

    assert [(n.filter, n.left, n.of) for n in found.narrowing] == [
        ("score band", 6, None), ("city", 1, 6)
    ]  # fmt: skip


def test_the_audience_reads_in_at_most_four_statements_whatever_its_size(
    world, django_assert_max_num_queries
):
    target = Target(40, None, (world["jazz"].pk,), ("FR", "IE"))
    with django_assert_max_num_queries(4):  # its people, topics, examples, the band
        small = audience(target=target)
    for n in range(300):
        holding(Person.objects.create(score=50, country="FR", display_name=f"P{n}"), world["jazz"])
    with django_assert_max_num_queries(4):
        larger = audience(target=target)

    assert (small.people, larger.people) == (4, 304)


def test_a_large_audience_is_counted_exactly_and_spread_from_a_sample(world):
    Person.objects.bulk_create(
        Person(score=50 + n % 40, country="JP", display_name=f"P{n}", public_id=f"bulk{n:06}")
        for n in range(EXACT)
    )

    with CaptureQueriesContext(connection) as statements:
        found = audience(target=Target(40))

    assert (found.people, found.reachable) == (EXACT + 6, 2)
    assert found.sampled
    assert sum(b.people for b in found.bins) == found.sampled
    assert found.countries[0].label == "Japan"
    assert 0 < found.topics_read <= TOPICS_READ
    assert len(statements) == 5  # its first people, the count, the sample, topics, examples

    with CaptureQueriesContext(connection) as statements:
        irish = audience(target=Target(40, None, (), ("IE",)))

    assert [(n.filter, n.left, n.of) for n in irish.narrowing] == [
        ("score band", EXACT + 6, None), ("country", 1, EXACT + 6)
    ]  # fmt: skip
    assert len(statements) == 5  # …then the target's own, topics, examples, the band


def test_the_panel_shows_the_audience(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    page = client.post(URL, {"min_score": "40"}, headers={"HX-Request": "true"}).content.decode()

    assert '<div id="estimate" class="audience" aria-live="polite">' in page
    assert "<strong>6</strong> people qualify now;\n    2 of them have a Sway account" in page
    assert 'href="/t/jazz/"' in page
    assert 'href="/p/' + world["people"][0].public_id + '/"' in page
    assert "Scores 40–45: 33 %" in page
    assert "France <span" in page
    for never in ("Secrets", "Rumours", "Gone", "Below"):
        assert never not in page


def test_the_panel_says_why_so_few(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    page = client.post(
        URL, {"min_score": "40", "topics": [world["jazz"].pk], "countries": ["IE"]}
    ).content.decode()

    assert re.sub(r"\s+", " ", page).count(
        "Why so few: the score band takes in 6 people; the topic filter leaves 4 of 6; the "
        "country filter leaves 1 of 4."
    )


def test_a_highest_score_below_the_lowest_is_a_mistake_not_nobody(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    page = client.post(URL, {"min_score": "60", "max_score": "40"}).content.decode()

    assert "Highest score: It is below the lowest score." in page
    assert "qualify" not in page


@pytest.mark.parametrize("field", ["min_score", "max_score", "topics", "countries", "cities"])
@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_hostile_targeting_is_a_mistake_in_the_panel_never_an_error(client, world, field, value):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    body = f"min_score=40&{field}={in_url(value)}"  # as sent, lone surrogates too

    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code in (200, 400)
    assert 'id="estimate"' in response.content.decode() or response.status_code == 400


def test_a_huge_body_is_refused(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    client.force_login(member(brand, Role.MANAGER))

    response = client.post(URL, {"min_score": "40", "cities": ["x" * 100] * 20_000})

    assert response.status_code in (200, 400, 413)
    assert "qualify now" not in response.content.decode()


def test_only_the_brands_managers_see_its_audience(client, world):
    brand = Brand.objects.create(name="Acme", slug="acme")
    other = Brand.objects.create(name="Other", slug="other")

    client.force_login(member(brand, Role.VIEWER))
    as_viewer = client.post(URL, {"min_score": "40"})
    client.force_login(member(other, Role.OWNER))
    as_other_brand = client.post(URL, {"min_score": "40"})
    client.logout()
    signed_out = client.post(URL, {"min_score": "40"})

    assert (as_viewer.status_code, as_other_brand.status_code) == (403, 404)
    assert signed_out.status_code == 302
