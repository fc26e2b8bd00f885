"""The campaign form's pickers: topics found by name, alias or area (public ones only, in
fixed queries), the places people give, and countries and cities checked alike by the form
and the API."""

import json

import pytest
from django.template.loader import render_to_string

from campaigns.forms import CampaignForm
from campaigns.models import Campaign, Membership, Role
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope
from scoring.models import Person, Topic, TopicStatus
from tests.campaigns.test_brand_pages import FORM, member
from tests.factories import UserFactory
from tests.robustness.hostile import in_url

pytestmark = pytest.mark.django_db


def topic(slug, name, *, parents=(), **fields):
    made = Topic.objects.create(
        slug=slug, name=name, status=fields.pop("status", TopicStatus.APPROVED), **fields
    )
    made.parents.set(parents)
    return made


@pytest.fixture
def taxonomy():
    sports = topic("sports", "Sports", is_area=True)
    water = topic("water-sports", "Water Sports", parents=[sports])
    surfing = topic("surfing", "Surfing", parents=[water], aliases=["Wave riding"])
    topic("surf-rock", "Surf Rock")  # in no area
    topic("surfing-pending", "Surfing Pending", status=TopicStatus.PENDING)
    topic("surfing-banned", "Surfing Banned", status=TopicStatus.BANNED)
    topic("surfing-secret", "Surfing Secret", is_sensitive=True)
    return {"sports": sports, "surfing": surfing, "water": water}


@pytest.fixture
def manager(client, brand):
    user = member(brand, Role.MANAGER)
    client.force_login(user)
    return user


def options(response):
    assert response.status_code == 200
    text = response.content.decode()
    return [part.split('"', 1)[0] for part in text.split('data-label="')[1:]]


def test_a_search_finds_public_topics_by_name_and_word_with_their_area(client, manager, taxonomy):
    found = options(client.get("/brands/acme/topics/", {"q": "surf"}))

    assert found == ["Surfing — Sports", "Surf Rock"]


def test_a_search_finds_a_topic_by_its_alias(client, manager, taxonomy):
    assert options(client.get("/brands/acme/topics/", {"q": "wave"})) == ["Surfing — Sports"]
    assert options(client.get("/brands/acme/topics/", {"q": "riding"})) == ["Surfing — Sports"]


def test_a_close_word_finds_the_topic_a_typo_meant(client, manager, taxonomy):
    assert options(client.get("/brands/acme/topics/", {"q": "surfng"}))[0] == "Surfing — Sports"


def test_no_search_lists_the_areas_and_an_area_lists_its_topics(client, manager, taxonomy):
    areas = client.get("/brands/acme/topics/").content.decode()
    assert f'data-area="{taxonomy["sports"].pk}"' in areas

    inside = options(client.get("/brands/acme/topics/", {"area": taxonomy["sports"].pk}))
    assert inside == ["Water Sports — Sports"]
    assert options(client.get("/brands/acme/topics/", {"area": taxonomy["water"].pk})) == []


def test_the_topic_search_answers_in_fixed_queries(
    client, manager, taxonomy, django_assert_num_queries
):
    for n in range(30):
        topic(f"surf-{n}", f"Surf {n}", parents=[taxonomy["water"]])
    # session, user, membership, the topics, their areas
    with django_assert_num_queries(5):
        assert len(options(client.get("/brands/acme/topics/", {"q": "surf"}))) == 20


@pytest.mark.parametrize("text", ["\ud800", "x\udfff", "\x01\x0b\x1f\x7f", "a" * 10_000, "%_"])
def test_hostile_searches_find_nothing_and_never_fail(client, manager, taxonomy, text):
    response = client.get(f"/brands/acme/topics/?q={in_url(text)}")
    assert response.status_code == 200
    response = client.get(f"/brands/acme/cities/?q={in_url(text)}")
    assert response.status_code == 200
    assert client.get(f"/brands/acme/topics/?area={in_url(text)}").status_code == 200


def test_a_nul_in_the_search_is_refused(client, manager, taxonomy):
    assert client.get("/brands/acme/topics/?q=a%00b").status_code == 400


def test_huge_area_numbers_list_the_areas(client, manager, taxonomy):
    response = client.get("/brands/acme/topics/", {"area": "9" * 40})
    assert 'data-area="' in response.content.decode()


def test_only_the_brands_managers_may_search(client, brand, taxonomy):
    assert client.get("/brands/acme/topics/?q=surf").status_code == 302  # to log in
    client.force_login(member(brand, Role.VIEWER))
    assert client.get("/brands/acme/topics/?q=surf").status_code == 403
    assert client.get("/brands/acme/cities/?q=lon").status_code == 403
    client.force_login(UserFactory(password=None))
    assert client.get("/brands/acme/topics/?q=surf").status_code == 404


def test_city_suggestions_are_the_places_people_give_most(client, manager):
    for place, people in (("London", 3), ("Londonderry", 1), ("Lyon", 2), ("london", 2)):
        Person.objects.bulk_create(Person(place=place) for _ in range(people))
    Person.objects.bulk_create(Person(place="Lonely Hidden", opted_out=True) for _ in range(5))

    found = options(client.get("/brands/acme/cities/", {"q": "lon"}))

    assert found == ["London", "london", "Londonderry"]


def test_a_city_nobody_gives_is_offered_as_typed(client, manager):
    text = client.get("/brands/acme/cities/", {"q": "Atlantis"}).content.decode()
    assert "press Enter to add it as written" in text


def test_the_form_keeps_countries_as_codes_and_refuses_one_that_is_none(brand):
    form = CampaignForm({**FORM, "countries": ["FR", "gb"], "cities": ["Lyon", "lyon", "Leeds"]})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["countries"], form.cleaned_data["cities"]) == (
        ("FR", "GB"),
        ("Lyon", "Leeds"),
    )

    form = CampaignForm({**FORM, "countries": ["FR", "ZZ"]})
    assert not form.is_valid()
    assert form.errors["countries"] == [
        "Not a country code: ZZ. Choose countries from the list (two letters, as FR for France)."
    ]


@pytest.mark.parametrize("value", ["\x00", "\ud800", "F\x01R", "9" * 40])
def test_hostile_countries_are_form_errors(brand, value):
    form = CampaignForm({**FORM, "countries": [value]})
    assert not form.is_valid()
    assert "Not a country code" in form.errors["countries"][0]


def test_a_city_too_long_is_a_form_error(brand):
    form = CampaignForm({**FORM, "cities": ["x" * 101]})
    assert not form.is_valid()
    assert form.errors["cities"] == ["A city's name is at most 100 characters."]


def test_a_forged_topic_that_is_not_public_is_refused(client, manager, taxonomy):
    secret = Topic.objects.get(slug="surfing-secret")
    form = CampaignForm({**FORM, "topics": [str(taxonomy["surfing"].pk), str(secret.pk)]})
    assert not form.is_valid()
    assert "topics" in form.errors


def test_the_picker_shows_the_chosen_topics_countries_and_cities_as_ticked_chips(brand, taxonomy):
    Person.objects.create(place="LYON")
    form = CampaignForm(
        initial={"topics": [taxonomy["surfing"]], "countries": ["FR"], "cities": ["Lyon"]},
        brand=brand,
    )
    html = str(form["topics"]) + str(form["countries"]) + str(form["cities"])

    for value, label in ((taxonomy["surfing"].pk, "Surfing — Sports"), ("FR", "France (FR)"),
                         ("Lyon", "Lyon")):  # fmt: skip
        assert f'value="{value}" checked> {label} ' in html
    assert 'hx-get="/brands/acme/topics/"' in html
    assert 'hx-get="/brands/acme/countries/"' in html
    assert 'hx-get="/brands/acme/cities/"' in html
    assert "nobody on Sway gives" not in html
    assert '<option value="GB">United Kingdom (GB)</option>' in html  # without JavaScript


def test_a_chosen_city_nobody_gives_is_kept_and_said_to_be_so(brand):
    Person.objects.create(place="Lyon")
    form = CampaignForm(initial={"cities": ["lyon", "ZZ"]}, brand=brand)
    html = str(form["cities"])

    assert 'value="lyon" checked> lyon ' in html
    assert 'value="ZZ" checked aria-describedby="id_cities-note-2"> ZZ ' in html
    assert html.count("nobody on Sway gives this place yet") == 1
    assert '<span class="picker-note" id="id_cities-note-2">' in html


def test_a_city_added_as_typed_is_said_to_be_given_by_nobody_or_not(client, manager):
    Person.objects.create(place="London")
    Person.objects.create(place="Hidden Town", opted_out=True)

    def note(place):
        response = client.get("/brands/acme/cities/", {"place": place})
        assert response.status_code == 200
        return response.content.decode()

    assert note("london") == ""
    assert note("ZZ") == "nobody on Sway gives this place yet"
    assert note("Hidden Town") == "nobody on Sway gives this place yet"
    assert note("") == ""
    for hostile in ("\ud800", "\x01\x7f", "a" * 10_000, "%_"):
        assert client.get(f"/brands/acme/cities/?place={in_url(hostile)}").status_code == 200
    assert client.get("/brands/acme/cities/?place=a%00b").status_code == 400


def test_countries_are_found_by_name_word_or_code(client, manager):
    def found(text):
        return options(client.get("/brands/acme/countries/", {"q": text}))

    assert found("fra") == ["France (FR)"]
    assert found("kor") == ["North Korea (KP)", "South Korea (KR)"]
    assert found("gb") == ["United Kingdom (GB)"]
    assert found("aland") == ["Åland Islands (AX)"]
    assert found("ZZ") == []
    assert "No country matches “ZZ”." in client.get("/brands/acme/countries/?q=ZZ").content.decode()
    assert len(found("")) == 249  # to browse them all


@pytest.mark.parametrize("text", ["\ud800", "\x01\x0b\x1f\x7f", "a" * 10_000, "%_"])
def test_hostile_country_searches_never_fail(client, manager, text):
    assert client.get(f"/brands/acme/countries/?q={in_url(text)}").status_code == 200


def test_only_the_brands_managers_may_search_countries(client, brand):
    assert client.get("/brands/acme/countries/?q=fr").status_code == 302
    client.force_login(member(brand, Role.VIEWER))
    assert client.get("/brands/acme/countries/?q=fr").status_code == 403
    assert client.get("/brands/acme/cities/?place=ZZ").status_code == 403
    client.force_login(UserFactory(password=None))
    assert client.get("/brands/acme/countries/?q=fr").status_code == 404


def test_the_api_checks_countries_and_cities_as_the_form_does(client, brand):
    key = api_key_create(name="Partner", scope=ApiScope.BRAND_WRITE, brand_id=brand.pk).key
    new = {
        "title": "Volt weekend", "description": "Drive it.", "perk_type": "product",
        "quantity": 5, "min_score": 40, "starts_at": "2026-12-01T09:00:00Z",
        "ends_at": "2030-12-31T09:00:00Z",
    }  # fmt: skip

    def post(**fields):
        return client.post(
            "/api/v1/brands/acme/campaigns/",
            json.dumps({**new, **fields}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    refused = post(countries=["FR", "ZZ"])
    assert refused.status_code == 400
    assert "Not a country code: ZZ." in json.dumps(refused.json())
    assert post(countries=["\ud800"]).status_code == 400
    assert post(cities=["x" * 101]).status_code == 400
    assert not Campaign.objects.exists()

    made = post(countries=["fr", "FR", "gb"], cities=["Lyon", " lyon "])
    assert made.status_code == 201, made.json()
    campaign = Campaign.objects.get()
    assert (campaign.countries, campaign.cities) == (["FR", "GB"], ["Lyon"])
    assert Membership.objects.filter(brand=brand).count() == 1


def test_the_targeting_in_words_names_the_countries():
    page = {"campaign": {"brand": "Acme", "min_score": 40, "max_score": None,
                         "countries": ["ZM", "GB"], "cities": ["London", "ZZ"]}}  # fmt: skip
    text = render_to_string("campaigns/_target.html", {"page": page})
    assert "in Zambia, United Kingdom, London, ZZ." in text
