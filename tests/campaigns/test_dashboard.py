"""A campaign's dashboard: its results day by day (a chart and a table), fulfilling claims one
by one after a second step or many at once from a file, and claimants who left Sway named as
such, never by their public id."""

import csv
import io
import itertools
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Brand, Claim, ClaimStatus, Membership, Role
from campaigns.selectors.brands import Day, conversation_of, days_of
from campaigns.services.claims import ClaimRequest, claim_create
from campaigns.services.fulfilment import MAX_FILE_BYTES
from campaigns.views.results_chart import results_svg
from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope, Notification
from scoring.models import Handle
from scoring.services.profiles import person_opt_out
from tests.campaigns.conftest import person_of
from tests.factories import UserFactory
from tests.scoring.worlds import handle, said, share, write_and_import

pytestmark = pytest.mark.django_db


def member(brand, role):
    user = UserFactory(password=None)
    Membership.objects.create(brand=brand, user=user, role=role)
    return user


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def product(live_campaign):
    """A shipped product's live campaign, claimed by Ana and Ben."""
    campaign = live_campaign(perk_type="product", codes=0)
    for name in ("Ana", "Ben"):
        person = person_of(display_name=name)
        claim_create(user=person.owner, campaign_id=campaign.pk, request=ClaimRequest(name))
    return campaign


def claim_of(campaign, name):
    return campaign.claims.get(person__display_name=name)


def upload(client, campaign, content, slug="acme"):
    url = f"/brands/{slug}/{campaign.pk}/claims/fulfil/"
    return client.post(url, {"file": SimpleUploadedFile("t.csv", content)}, follow=True)


def statuses(campaign):
    return sorted(campaign.claims.values_list("pk", "status", "tracking"))


def test_the_claims_csv_comes_back_with_tracking_numbers_and_fulfils_them(client, brand, product):
    client.force_login(member(brand, Role.MANAGER))
    exported = client.get(f"/brands/acme/{product.pk}/claims.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    for row in rows:
        row["tracking"] = f"1Z-{row['name']}" if row["name"] == "Ana" else ""
    filled = io.StringIO()
    writer = csv.DictWriter(filled, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    response = upload(client, product, filled.getvalue().encode())

    assert response.redirect_chain == [(f"/brands/acme/{product.pk}/", 302)]
    assert messages_of(response) == ["1 claim marked fulfilled; each claimant is told."]
    ana, ben = claim_of(product, "Ana"), claim_of(product, "Ben")
    assert [r["claim"] for r in rows] == [str(ben.pk), str(ana.pk)]  # latest first
    assert (ana.status, ana.tracking, ben.status) == ("fulfilled", "1Z-Ana", "confirmed")
    assert Notification.objects.filter(user=ana.user, subject__contains="on its way").count() == 1


def test_a_file_with_problems_is_shown_back_line_by_line_and_changes_nothing(
    client, brand, product
):
    client.force_login(member(brand, Role.MANAGER))
    ana = claim_of(product, "Ana").pk
    before = statuses(product)

    response = upload(client, product, f"{ana},1Z-A\n<b>x</b>,1Z\n{ana},1Z-B\n".encode())

    page = response.content.decode()
    assert response.status_code == 200
    assert "No claim was marked fulfilled: 2 lines to fix" in page
    assert "<li>Line 2: &#x27;&lt;b&gt;x&lt;/b&gt;&#x27; is not a claim number</li>" in page
    assert f"<li>Line 3: claim {ana} is on line 1 too</li>" in page
    assert 'enctype="multipart/form-data"' in page  # the form again, to send the file fixed
    assert statuses(product) == before


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x00" * (MAX_FILE_BYTES + 10), "The file is over 2 MB."),
        (b"1,\xed\xa0\x80\n", "The file is not UTF-8 text (byte 2)."),
        (b"\x00\x00\x00", "The file gives no tracking number: fill in its tracking column."),
    ],
)
def test_a_hostile_file_is_refused_on_the_form(client, brand, product, content, said):
    client.force_login(member(brand, Role.MANAGER))
    before = statuses(product)

    response = upload(client, product, content)

    assert response.status_code == 200
    assert said in response.content.decode()
    assert statuses(product) == before


def test_a_post_without_a_file_is_a_form_error(client, brand, product):
    client.force_login(member(brand, Role.MANAGER))

    response = client.post(f"/brands/acme/{product.pk}/claims/fulfil/", {"file": "1,1Z"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_viewers_see_claims_but_neither_fulfil_nor_upload(client, brand, product):
    client.force_login(member(brand, Role.VIEWER))
    ana = claim_of(product, "Ana")
    url = f"/brands/acme/{product.pk}"

    page = client.get(f"{url}/").content.decode()
    refused = [
        client.get(f"{url}/claims/fulfil/"),
        client.post(f"{url}/claims/fulfil/", {"file": SimpleUploadedFile("t.csv", b"1,x")}),
        client.post(f"{url}/claims/{ana.pk}/ship/", {"tracking": "1Z"}),
    ]

    assert "Ana" in page
    assert "Mark fulfilled" not in page
    assert "Fulfil many from a file" not in page
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert {c.status for c in product.claims.all()} == {"confirmed"}


def test_another_brand_can_neither_see_nor_fulfil_the_claims(client, brand, product):
    rival = Brand.objects.create(name="Rival", slug="rival")
    client.force_login(member(rival, Role.OWNER))
    ana = claim_of(product, "Ana").pk
    file = f"{ana},1Z\n".encode()

    responses = [
        upload(client, product, file, slug="rival"),
        upload(client, product, file, slug="acme"),
        client.get(f"/brands/rival/{product.pk}/claims/fulfil/"),
        client.post(f"/brands/rival/{product.pk}/claims/{ana}/ship/", {"tracking": "1Z"}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert {c.status for c in product.claims.all()} == {"confirmed"}


@pytest.mark.parametrize(
    ("tracking", "said"),
    [
        ("1Z\x00", "Not fulfilled: Null characters are not allowed."),
        ("X" * 201, "Not fulfilled: Ensure this value has at most 200 characters (it has 201)."),
        ("1Z\x07", "The tracking number holds a control character."),
    ],
)
def test_a_hostile_tracking_number_fulfils_nothing(client, brand, product, tracking, said):
    client.force_login(member(brand, Role.MANAGER))
    ana = claim_of(product, "Ana")

    response = client.post(
        f"/brands/acme/{product.pk}/claims/{ana.pk}/ship/", {"tracking": tracking}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response)[0].startswith(said)
    assert Claim.objects.get(pk=ana.pk).status == "confirmed"


def test_fulfilling_one_claim_takes_a_second_step_that_says_what_follows(client, brand, product):
    client.force_login(member(brand, Role.MANAGER))
    ana = claim_of(product, "Ana")

    page = client.get(f"/brands/acme/{product.pk}/").content.decode()
    done = client.post(
        f"/brands/acme/{product.pk}/claims/{ana.pk}/ship/", {"tracking": " 1Z-A "}, follow=True
    )

    step = page[page.index(f'<span class="visually-hidden"> for claim {ana.pk}, Ana</span>') :]
    step = step[: step.index("</details>")]
    assert "Ana is told at once that it is on its way. This cannot be undone." in step
    assert '<button type="submit" class="danger">Yes, it is fulfilled</button>' in step
    assert messages_of(done) == ["Marked fulfilled: Ana is told."]
    assert (Claim.objects.get(pk=ana.pk).status, Claim.objects.get(pk=ana.pk).tracking) == (
        "fulfilled", "1Z-A",
    )  # fmt: skip


def test_removing_a_member_or_revoking_a_key_takes_a_second_step(client, brand):
    owner = brand.memberships.get().user
    member(brand, Role.VIEWER)
    api_key_create(name="Shop", scope=ApiScope.BRAND_WRITE, brand_id=brand.pk, created_by=owner)
    client.force_login(owner)

    page = client.get("/brands/acme/").content.decode()

    for ask, yes in [("Remove", "Yes, remove them"), ("Revoke", "Yes, revoke it")]:
        summary = f'<summary class="button secondary">{ask}<span class="visually-hidden">'
        assert summary in page
        assert page.index(summary) < page.index(yes) < page.index("</details>", page.index(summary))


def test_a_claimant_who_left_sway_is_named_so_on_the_page_and_in_the_csv(client, brand, product):
    ana = claim_of(product, "Ana")
    Claim.objects.filter(pk=ana.pk).update(status=ClaimStatus.FULFILLED, tracking="1Z")
    public_id = ana.person.public_id
    person_opt_out(user=ana.user)
    client.force_login(member(brand, Role.MANAGER))

    page = client.get(f"/brands/acme/{product.pk}/").content.decode()
    exported = client.get(f"/brands/acme/{product.pk}/claims.csv").content.decode()

    assert "A person who left Sway" in page
    rows = {row["claim"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert (rows[str(ana.pk)]["name"], rows[str(ana.pk)]["profile"]) == (
        "a person who left Sway", "",
    )  # fmt: skip
    assert rows[str(ana.pk)]["status"] == "fulfilled"
    assert public_id not in page
    assert public_id not in exported
    assert rows[str(claim_of(product, "Ben").pk)]["name"] == "Ben"


def test_the_results_day_by_day_count_claims_fulfilments_and_the_conversation(
    brand, live_campaign, tmp_path
):
    Brand.objects.filter(pk=brand.pk).update(handle="@acme")
    start = timezone.now() - timedelta(days=3)
    campaign = live_campaign(perk_type="product", codes=0, hashtag="#Acme", starts_at=start)
    people = [person_of(display_name=n) for n in ("Dana", "Eli", "Fay")]
    claims = [
        claim_create(user=p.owner, campaign_id=campaign.pk, request=ClaimRequest(p.display_name))
        for p in people
    ]
    day = [start + timedelta(days=n) for n in range(4)]
    Claim.objects.filter(pk=claims[0].pk).update(created_at=day[0])
    Claim.objects.filter(pk=claims[1].pk).update(
        created_at=day[0], status="fulfilled", fulfilled_at=day[2]
    )
    Claim.objects.filter(pk=claims[2].pk).update(created_at=day[1], status="cancelled")
    moment = day[1].isoformat()
    records = [handle("dana", "dana", "Dana"), *(handle(f, f, f) for f in "xy")]
    records += [{**said("d1", "dana", "Got it! #acme"), "published_at": moment}]
    records += [{**share(f, "dana", "d1"), "occurred_at": day[2].isoformat()} for f in "xy"]
    write_and_import(tmp_path, records)
    Handle.objects.filter(external_id="dana").update(person=people[0])
    campaign.refresh_from_db()

    days = days_of(
        campaign=campaign, conversation=conversation_of(campaign=campaign), now=timezone.now()
    )

    assert [(d.day, d.claims, d.fulfilled, d.posts, d.engagement) for d in days] == [
        (day[0].date(), 2, 0, 0, 0),
        (day[1].date(), 0, 0, 1, 0),  # the cancelled claim does not count
        (day[2].date(), 0, 1, 0, 2),
        (day[3].date(), 0, 0, 0, 0),
    ]


def test_a_campaign_not_started_has_no_days_yet(client, brand, live_campaign):
    campaign = live_campaign(starts_at=timezone.now() + timedelta(days=2), status="scheduled")
    client.force_login(member(brand, Role.VIEWER))

    page = client.get(f"/brands/acme/{campaign.pk}/").content.decode()

    assert "Its results show here day by day from its first day" in page
    assert "results-chart" not in page


def test_the_results_show_as_a_chart_with_the_same_figures_in_words_and_a_table(
    client, brand, product
):
    client.force_login(member(brand, Role.VIEWER))

    page = client.get(f"/brands/acme/{product.pk}/").content.decode()

    today, yesterday = timezone.localdate(), timezone.localdate() - timedelta(days=1)
    words = (
        f"From {yesterday:%-d %B} to {today:%-d %B}: 2 claimed, 0 fulfilled, 0 posts naming "
        f"the campaign and 0 engagements with them. Most claims on {today:%-d %B}: 2."
    )
    assert page.count('role="img" aria-labelledby="results-title-') == 2  # wide and narrow
    assert page.count(words) == 2
    assert page.count('class="chart-line series-claims"') == 2
    assert "<summary>The same figures as a table</summary>" in page
    assert (
        f'<tr><th scope="row" class="nowrap">{today:%-d %b}</th><td class="number">2</td>'
        '<td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>'
    ) in page


def test_the_dashboard_makes_as_many_queries_whatever_it_shows(
    client, brand, live_campaign, tmp_path
):
    Brand.objects.filter(pk=brand.pk).update(handle="@acme")
    campaign = live_campaign(perk_type="product", codes=0, hashtag="#Acme")
    first = person_of(display_name="Dana")
    claim_create(user=first.owner, campaign_id=campaign.pk, request=ClaimRequest("a"))
    later = timezone.now().isoformat()
    records = [handle("dana", "dana", "Dana"), handle("x", "x", "x")]
    records += [{**said("d1", "dana", "#acme!"), "published_at": later}]
    records += [{**share("x", "dana", "d1"), "occurred_at": later}]
    write_and_import(tmp_path, records)
    Handle.objects.filter(external_id="dana").update(person=first)
    client.force_login(member(brand, Role.VIEWER))

    def queries():
        with CaptureQueriesContext(connection) as done:
            assert "#acme!" in client.get(f"/brands/acme/{campaign.pk}/").content.decode()
        return len(done)

    few = queries()
    for n in range(6):
        person = person_of(display_name=f"P{n}")
        made = claim_create(user=person.owner, campaign_id=campaign.pk, request=ClaimRequest("k"))
        if n % 2:
            Claim.objects.filter(pk=made.pk).update(status="fulfilled", fulfilled_at=timezone.now())
    person_opt_out(user=person.owner)

    # session, user, membership, campaign, claims count and page, their topics and hidden
    # topics, funnel ×2, the conversation ×3, claims and fulfilments by day, codes, the unread
    # count in the navigation
    assert queries() == few == 17


def chart_days(count, engagement=0):
    first = date(2025, 12, 2)
    return [Day(first + timedelta(days=n), n % 3, 0, 0, engagement) for n in range(count)]


def day_labels(svg):
    return re.findall(r'class="chart-label chart-day">([^<]+)</text>', svg)


@pytest.mark.parametrize("width", [640, 300], ids=["wide", "narrow"])
def test_the_charts_days_are_labelled_evenly_from_the_first_to_the_last(width):
    for count in range(1, 93):
        days = chart_days(count)
        svg = str(results_svg(days, width, "any"))

        labels = day_labels(svg)
        labelled = [next(i for i, d in enumerate(days) if f"{d.day:%-d %b}" == s) for s in labels]
        gaps = [b - a for a, b in itertools.pairwise(labelled)]
        assert (labelled[0], labelled[-1]) == (0, count - 1), count
        assert len(set(gaps[:-1])) <= 1, count  # one step, but maybe for the last gap
        assert min(gaps, default=count) * (width - 46) / count >= 56, count  # never overlapping
        assert svg.count('class="chart-tick"') == len(labels), count  # a tick under each


def test_four_days_are_each_labelled_even_on_a_phone():
    svg = str(results_svg(chart_days(4), 300, "narrow"))

    assert day_labels(svg) == ["2 Dec", "3 Dec", "4 Dec", "5 Dec"]


def test_a_chart_without_engagement_says_so_instead_of_an_empty_panel():
    quiet = str(results_svg(chart_days(5), 640, "wide"))
    busy = str(results_svg(chart_days(5, engagement=3), 640, "wide"))

    assert "No engagement yet" in quiet
    assert "chart-bar" not in quiet
    assert "No engagement yet" not in busy
    assert busy.count('class="chart-bar series-engagement"') == 5


def test_the_claims_offer_column_shows_only_when_a_claim_has_an_offer(
    client, brand, product, live_campaign
):
    client.force_login(member(brand, Role.VIEWER))
    coded = live_campaign(codes=3)
    person = person_of(display_name="Cleo")
    claim_create(user=person.owner, campaign_id=coded.pk, request=ClaimRequest("c"))

    plain = client.get(f"/brands/acme/{product.pk}/").content.decode()
    with_code = client.get(f"/brands/acme/{coded.pk}/").content.decode()

    assert ">Offer</th>" not in plain
    assert 'data-label="Offer"' not in plain
    assert ">Offer</th>" in with_code
    assert 'data-label="Offer"' in with_code


def test_pausing_takes_a_second_step_and_resuming_one(client, brand, live_campaign):
    campaign = live_campaign()
    client.force_login(member(brand, Role.MANAGER))

    live = client.get(f"/brands/acme/{campaign.pk}/").content.decode()
    client.post(f"/brands/acme/{campaign.pk}/move/", {"move": "pause"})
    paused = client.get(f"/brands/acme/{campaign.pk}/").content.decode()

    step = live[live.index('<summary class="button secondary">Pause</summary>') :]
    step = step[: step.index("</details>")]
    assert "Nobody can claim it while it is paused" in step
    assert '<input type="hidden" name="move" value="pause">' in step
    assert '<button type="submit">Yes, pause it</button>' in step
    assert '<button type="submit" name="move" value="resume">Resume</button>' in paused


@pytest.mark.parametrize(
    "body",
    [
        *(b"", b"move=end", b"move=pause%00", b"move=%ED%A0%80", b"move=" + b"x" * 100_000),
        *(b"move=submit", b"move=resume", b"move=pause&move=\x00"),
    ],
)
def test_a_forged_or_unknown_move_changes_nothing(client, brand, live_campaign, body):
    campaign = live_campaign()
    client.force_login(member(brand, Role.MANAGER))

    response = client.post(
        f"/brands/acme/{campaign.pk}/move/",
        body,
        content_type="application/x-www-form-urlencoded",
        follow=True,
    )

    assert response.status_code == 200
    assert messages_of(response)
    campaign.refresh_from_db()
    assert campaign.status == "active"


def test_a_viewer_or_another_brand_cannot_pause(client, brand, live_campaign):
    campaign = live_campaign()
    client.force_login(member(brand, Role.VIEWER))
    viewer = client.post(f"/brands/acme/{campaign.pk}/move/", {"move": "pause"})
    rival = Brand.objects.create(name="Rival", slug="rival")
    client.force_login(member(rival, Role.OWNER))
    others = [
        client.post(f"/brands/{slug}/{campaign.pk}/move/", {"move": "pause"})
        for slug in ("rival", "acme")
    ]

    assert [viewer.status_code, *(r.status_code for r in others)] == [403, 404, 404]
    campaign.refresh_from_db()
    assert campaign.status == "active"
