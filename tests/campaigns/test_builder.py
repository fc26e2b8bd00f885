"""The campaign builder: each step saves the draft and leads on, moving between steps keeps
what was saved, mistakes are named while typing and at the step that shows them, the review
warns of a campaign that reaches nobody, a draft is deleted, an approved campaign changes
only by pausing, more units and a later end; nobody else's hands reach any of it."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import Brand, Campaign, CampaignStatus, Code, Role, Tier
from tests.campaigns.building import campaign_built
from tests.campaigns.conftest import person_of
from tests.campaigns.test_brand_pages import FORM, member, messages_of
from tests.robustness.hostile import HOSTILE_TEXT

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def manager(client, brand):
    user = member(brand, Role.MANAGER)
    client.force_login(user)
    return user


def post_raw(client, url, data, **headers):
    """A form as a broken client sends it: a lone surrogate as its UTF-8 bytes."""
    body = urlencode({name: value.encode("utf-8", "surrogatepass") for name, value in data.items()})
    return client.post(url, body, content_type="application/x-www-form-urlencoded", **headers)


def draft_of(client, **change):
    client.post("/brands/acme/new/", {**FORM, **change})
    return Campaign.objects.get()


def test_each_step_saves_the_draft_and_leads_to_the_next(client, manager):
    new = client.get("/brands/acme/new/").content.decode()
    assert '<a href="/brands/acme/new/" aria-current="step">1. The offer</a>' in new
    assert '<span class="step-later">2. Who qualifies</span>' in new
    assert 'value="40"' in new  # the lowest score a new campaign starts with, carried hidden

    made = client.post("/brands/acme/new/", FORM)
    campaign = Campaign.objects.get()
    assert made.url == f"/brands/acme/{campaign.pk}/edit/audience/"
    assert (campaign.title, campaign.status, campaign.steps_saved) == (
        "Volt for three days", "draft", ["offer"],
    )  # fmt: skip

    client.post(f"/brands/acme/{campaign.pk}/edit/audience/", {**FORM, "min_score": "40"})
    third = client.post(f"/brands/acme/{campaign.pk}/edit/claiming/", {**FORM, "hashtag": "#Go"})
    campaign.refresh_from_db()
    assert third.url == f"/brands/acme/{campaign.pk}/edit/review/"
    assert (campaign.hashtag, campaign.steps_saved) == ("#Go", ["offer", "audience", "claiming"])
    review = client.get(third.url).content.decode()
    assert 'aria-current="step">4. Review and submit</a>' in review
    assert "From Tuesday 1 December 2026, 09:00 UTC to Thursday 31 December 2026, 09:00 UTC" in (
        review
    )
    assert '<button type="submit" name="move" value="submit">Submit anyway</button>' in review


def test_moving_between_steps_keeps_what_was_saved(client, manager):
    campaign = draft_of(client)

    back = client.post(
        f"/brands/acme/{campaign.pk}/edit/audience/",
        {**FORM, "min_score": "45", "tiers": "45: a weekend", "go": "offer"},
        follow=True,
    )

    assert back.redirect_chain == [(f"/brands/acme/{campaign.pk}/edit/offer/", 302)]
    assert messages_of(back)[-1] == "Step 2, who qualifies, is saved."
    page = back.content.decode()
    assert '<input type="hidden" name="min_score" value="45"' in page
    assert 'value="Volt for three days"' in page
    campaign.refresh_from_db()
    assert (campaign.min_score, campaign.steps_saved) == (45, ["offer", "audience"])


def test_the_review_lists_the_steps_not_saved_yet_and_offers_no_submit(client, manager):
    campaign = draft_of(client)

    review = client.get(f"/brands/acme/{campaign.pk}/edit/review/").content.decode()

    assert "Step 3, <a" in review
    assert "is not saved yet" in review
    assert 'value="submit"' not in review


@pytest.mark.parametrize(
    ("step", "change", "error"),
    [
        ("audience", {"max_score": "30"}, "It is below the lowest score."),
        ("claiming", {"ends_at": "2026-11-30T09:00"}, "The campaign ends after it starts."),
        ("offer", {"quantity": "0"}, "Offer at least one."),
        ("audience", {"min_score": "101"}, "Lowest score: A score goes up to 100."),
        ("audience", {"max_score": "0"}, "Highest score: A score starts at 1."),
    ],
)
def test_a_step_with_a_mistake_says_what_and_saves_nothing(client, manager, step, change, error):
    campaign = draft_of(client)

    response = client.post(f"/brands/acme/{campaign.pk}/edit/{step}/", {**FORM, **change})

    assert response.status_code == 400
    assert error in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.max_score, campaign.quantity, campaign.steps_saved) == (None, 5, ["offer"])


def test_a_change_that_breaks_another_step_names_that_step(client, manager):
    campaign = draft_of(client)

    response = client.post(f"/brands/acme/{campaign.pk}/edit/audience/", {**FORM, "min_score": 75})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tiers: The first tier starts at the lowest score, 75." in page
    assert f'(<a href="/brands/acme/{campaign.pk}/edit/offer/">step 1, the offer</a>)' in page
    assert Campaign.objects.get().min_score == 40


def test_the_first_tier_follows_the_lowest_score_on_who_qualifies(client, manager):
    campaign = draft_of(client)

    client.post(f"/brands/acme/{campaign.pk}/edit/audience/", {**FORM, "min_score": "50"})

    assert list(Tier.objects.values_list("min_score", "offer")) == [
        (50, "a weekend"), (70, "a week"),
    ]  # fmt: skip
    assert Campaign.objects.get().min_score == 50


def test_checks_while_typing_name_mistakes_and_word_the_tiers_and_save_nothing(client, manager):
    campaign = draft_of(client)
    url = f"/brands/acme/{campaign.pk}/edit/"

    band = client.post(f"{url}audience/", {**FORM, "max_score": "30"}, **HTMX)
    tiers = client.post(f"{url}offer/", {**FORM, "tiers": "40: 10 % off\n70: 50 % off"}, **HTMX)
    typing = client.post("/brands/acme/new/", {"min_score": "40", "title": ""}, **HTMX)

    assert band.status_code == 200
    assert "Highest score: It is below the lowest score." in band.content.decode()
    assert "error-summary" in band.content.decode()
    assert "<html" not in band.content.decode()
    words = tiers.content.decode()
    assert "The first tier starts at the lowest score, 40." in words
    assert "<li>Scores 40 to 69: 10 % off</li><li>Scores 70 to 100: 50 % off</li>" in words
    assert "things to fix" not in typing.content.decode()  # nothing typed yet is no mistake
    campaign.refresh_from_db()
    assert (campaign.max_score, list(campaign.tiers.values_list("offer", flat=True))) == (
        None, ["a weekend", "a week"],
    )  # fmt: skip


def test_times_are_labelled_with_the_sites_time_zone(client, manager):
    campaign = draft_of(client)

    page = client.get(f"/brands/acme/{campaign.pk}/edit/claiming/").content.decode()

    assert '<label for="id_starts_at">Starts (UTC):</label>' in page
    assert '<label for="id_ends_at">Ends (UTC):</label>' in page


def test_a_campaign_that_reaches_nobody_is_submitted_only_when_the_brand_confirms(client, manager):
    campaign = campaign_built(client, "acme", FORM)
    review = client.get(f"/brands/acme/{campaign.pk}/edit/review/").content.decode()
    assert "<strong>Nobody qualifies now.</strong>" in review
    assert '<summary class="button">Submit for review</summary>' in review

    person_of(score=55, country="CA")
    reaching = client.get(f"/brands/acme/{campaign.pk}/edit/review/").content.decode()
    assert "1 person qualifies; 1 of them can be told." in reaching
    assert "Submit anyway" not in reaching

    submitted = client.post(f"/brands/acme/{campaign.pk}/move/", {"move": "submit"})
    assert submitted.url == f"/brands/acme/{campaign.pk}/"
    assert Campaign.objects.get().status == "submitted"


def test_the_preview_is_the_perk_page_as_a_qualifying_member_sees_it_framed_by_us_only(
    client, manager
):
    campaign = campaign_built(client, "acme", FORM)

    preview = client.get(f"/brands/acme/{campaign.pk}/preview/")

    page = preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert "Your offer: <strong>a weekend</strong>" in page
    assert '<h2 id="claim">Claim it</h2>' in page
    assert '<label for="id_answer_0">Your licence number?</label>' in page
    assert "Claim a weekend</button>" in page
    other = client.get(f"/brands/acme/{campaign.pk}/edit/")
    assert other["X-Frame-Options"] == "DENY"


def test_a_manager_deletes_a_draft_with_its_tiers_and_codes(client, manager):
    campaign = draft_of(client)
    Code.objects.create(campaign=campaign, code="X1")

    gone = client.post(f"/brands/acme/{campaign.pk}/delete/", follow=True)

    assert messages_of(gone)[-1] == "The draft “Volt for three days” is deleted."
    assert (Campaign.objects.count(), Tier.objects.count(), Code.objects.count()) == (0, 0, 0)


def test_only_a_draft_can_be_deleted(client, manager, live_campaign):
    campaign = live_campaign()

    refused = client.post(f"/brands/acme/{campaign.pk}/delete/", follow=True)

    assert messages_of(refused)[-1] == "Only a draft or a rejected campaign can be deleted."
    assert Campaign.objects.get().status == "active"


def test_an_active_campaign_says_what_can_still_change_and_offers_only_that(
    client, manager, live_campaign
):
    campaign = live_campaign()

    page = client.get(f"/brands/acme/{campaign.pk}/edit/").content.decode()
    step = client.get(f"/brands/acme/{campaign.pk}/edit/audience/").content.decode()
    changed = client.post(f"/brands/acme/{campaign.pk}/edit/audience/", FORM, follow=True)

    assert "What can still change: pausing it, adding stock, and ending it later." in page
    assert 'name="title"' not in page
    assert 'name="min_score"' not in page
    assert 'value="pause"' in page
    assert 'name="units"' in page
    assert 'name="ends_at"' in page
    assert "What can still change" in step
    assert 'name="min_score"' not in step
    assert messages_of(changed)[-1] == "Only a draft or a rejected campaign can be changed."
    assert Campaign.objects.get().title == "Early screening"


@pytest.mark.parametrize(
    ("status", "said"),
    [("submitted", "Staff are reviewing it: nothing can change"), ("ended", "It has ended")],
)
def test_a_campaign_under_review_or_ended_offers_no_change(
    client, manager, live_campaign, status, said
):
    campaign = live_campaign(status=status)

    page = client.get(f"/brands/acme/{campaign.pk}/edit/").content.decode()

    assert said in page
    assert "<form" not in page.split('id="what-can-change"')[1].split("</main>")[0]


def test_stock_only_grows_and_a_code_perk_needs_its_codes(client, manager, live_campaign):
    campaign = live_campaign(quantity=10, codes=12)

    added = client.post(f"/brands/acme/{campaign.pk}/stock/", {"units": "2"}, follow=True)
    short = client.post(f"/brands/acme/{campaign.pk}/stock/", {"units": "1"})

    assert messages_of(added)[-1] == "2 more on offer: 12 in all."
    assert short.status_code == 400
    assert "Upload codes first: 13 units need as many codes, and the pool has 12." in (
        short.content.decode()
    )
    assert Campaign.objects.get().quantity == 12


@pytest.mark.parametrize("units", ["0", "-5", "", "1.5", "1e3", *HOSTILE_TEXT[:8], "9" * 40])
def test_hostile_stock_is_a_form_error_and_changes_nothing(client, manager, live_campaign, units):
    campaign = live_campaign(quantity=10, codes=12)

    response = post_raw(client, f"/brands/acme/{campaign.pk}/stock/", {"units": units})

    assert response.status_code == 400
    assert Campaign.objects.get().quantity == 10


def test_the_end_only_moves_later(client, manager, live_campaign):
    campaign = live_campaign()
    ends = timezone.localtime(campaign.ends_at)
    later, sooner = ends + timedelta(days=3), ends - timedelta(days=1)

    refused = client.post(
        f"/brands/acme/{campaign.pk}/extend/", {"ends_at": f"{sooner:%Y-%m-%dT%H:%M}"}
    )
    moved = client.post(
        f"/brands/acme/{campaign.pk}/extend/", {"ends_at": f"{later:%Y-%m-%dT%H:%M}"}, follow=True
    )

    assert refused.status_code == 400
    assert "choose a later end." in refused.content.decode()
    assert messages_of(moved)[-1] == f"It ends on {later:%-d %B %Y at %H:%M} UTC now."
    assert Campaign.objects.get().ends_at == later.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    "ends_at", ["99999-01-01T00:00", "2026-13-40T25:61", "\x00", "\ud800", "9" * 40, ""]
)
def test_a_hostile_end_is_a_form_error(client, manager, live_campaign, ends_at):
    campaign = live_campaign()

    response = post_raw(client, f"/brands/acme/{campaign.pk}/extend/", {"ends_at": ends_at})

    assert response.status_code == 400
    assert Campaign.objects.get().ends_at == campaign.ends_at


@pytest.mark.parametrize(
    "change",
    [
        {"title": "a\x00b"},
        {"quantity": "9" * 40},
        {"quantity": "2147483648"},
        {"min_score": "9223372036854775808"},
        {"tiers": "40: " + "x" * 5000 + "\n\x00: y"},
        {"perk_type": "<script>"},
        {"topics": "-1"},
        {"starts_at": "\x00"},
    ],
)
def test_hostile_values_in_a_step_are_form_errors_and_write_nothing(client, manager, change):
    response = post_raw(client, "/brands/acme/new/", {**FORM, **change})
    checked = post_raw(client, "/brands/acme/new/", {**FORM, **change}, **HTMX)

    assert response.status_code == 400
    assert checked.status_code == 200
    assert not Campaign.objects.exists()


def test_a_lone_surrogate_and_control_characters_are_kept_as_text_one_line_in_a_title(
    client, manager
):
    change = {"title": "\ud800 Volt\r\nnow", "description": "\x01\x0b\x1f\x7f"}

    response = post_raw(client, "/brands/acme/new/", {**FORM, **change})

    assert response.status_code == 302
    assert Campaign.objects.values_list("title", "description").get() == (
        "\ufffd\ufffd\ufffd Volt now", "\x01\x0b\x1f\x7f",
    )  # fmt: skip


def test_a_huge_body_is_refused(client, manager, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = client.post("/brands/acme/new/", {**FORM, "description": "x" * 20_000})

    assert response.status_code == 413
    assert not Campaign.objects.exists()


def test_a_viewer_reads_the_preview_but_cannot_build_delete_or_change(client, brand, live_campaign):
    draft = live_campaign(status="draft")
    active = live_campaign(title="Live one")
    client.force_login(member(brand, Role.VIEWER))

    assert client.get(f"/brands/acme/{draft.pk}/preview/").status_code == 200
    for url, data in [
        ("/brands/acme/new/", FORM),
        (f"/brands/acme/{draft.pk}/edit/audience/", FORM),
        (f"/brands/acme/{draft.pk}/delete/", {}),
        (f"/brands/acme/{active.pk}/stock/", {"units": "5"}),
        (f"/brands/acme/{active.pk}/extend/", {"ends_at": "2099-01-01T00:00"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert client.get(f"/brands/acme/{draft.pk}/edit/review/").status_code == 403
    assert [(c.title, c.quantity, c.status) for c in Campaign.objects.order_by("pk")] == [
        ("Early screening", 10, "draft"), ("Live one", 10, "active"),
    ]  # fmt: skip


def test_another_brand_cannot_reach_any_of_it(client, brand, live_campaign):
    draft = live_campaign(status="draft")
    active = live_campaign(title="Live one")
    other = Brand.objects.create(name="Rival", slug="rival")
    client.force_login(member(other, Role.OWNER))

    for slug in ("acme", "rival"):
        base = f"/brands/{slug}"
        assert client.get(f"{base}/{draft.pk}/preview/").status_code == 404
        assert client.get(f"{base}/{draft.pk}/edit/review/").status_code == 404
        for url, data in [
            (f"{base}/{draft.pk}/edit/offer/", FORM),
            (f"{base}/{draft.pk}/edit/audience/", {**FORM, **{"min_score": "1"}}),
            (f"{base}/{draft.pk}/delete/", {}),
            (f"{base}/{active.pk}/stock/", {"units": "5"}),
            (f"{base}/{active.pk}/extend/", {"ends_at": "2099-01-01T00:00"}),
        ]:
            assert client.post(url, data).status_code == 404, url
    campaigns = Campaign.objects.order_by("pk")
    assert [(c.title, c.min_score, c.quantity, c.ends_at) for c in campaigns] == [
        (draft.title, 40, 10, draft.ends_at), (active.title, 40, 10, active.ends_at),
    ]  # fmt: skip


def test_an_unknown_step_is_not_found(client, manager):
    campaign = draft_of(client)

    assert client.get(f"/brands/acme/{campaign.pk}/edit/payment/").status_code == 404


def test_a_step_of_a_rejected_campaign_makes_it_a_draft_again(client, manager):
    campaign = draft_of(client)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.REJECTED)

    client.post(f"/brands/acme/{campaign.pk}/edit/offer/", {**FORM, "title": "Better"})

    assert Campaign.objects.values_list("title", "status").get() == ("Better", "draft")


def test_the_tiers_example_starts_at_the_lowest_score_saved_and_keeps_the_rule(client, manager):
    new = client.get("/brands/acme/new/").content.decode()
    campaign = draft_of(client)
    moved = {**FORM, "min_score": "85", "tiers": "40: a weekend"}
    client.post(f"/brands/acme/{campaign.pk}/edit/audience/", moved)
    later = client.get(f"/brands/acme/{campaign.pk}/edit/offer/").content.decode()

    example = "lowest score, 40 (step 2 sets it): e.g. “40: 20 % off”, “81: 100 % off”."
    assert f"The first tier starts at the {example}" in new
    assert "“20: 20 % off”" not in new
    assert "lowest score, 85 (step 2 sets it): e.g. “85: 20 % off”." in later
    ok = client.post(f"/brands/acme/{campaign.pk}/edit/offer/", {**moved, "tiers": "85: 20 %"})
    assert ok.status_code == 302


def test_a_check_while_typing_says_each_checked_fields_errors_afresh(client, manager):
    failed = client.post("/brands/acme/new/", {**FORM, "title": "", "description": ""})
    typing = client.post("/brands/acme/new/", {**FORM, "title": "Volt", "description": ""}, **HTMX)
    after_failure = client.post(
        "/brands/acme/new/", {**FORM, "title": "Volt", "description": "", "check_all": "1"}, **HTMX
    )

    page = failed.content.decode()
    assert '<div id="id_title_errorbox" data-errors-for="id_title"><ul class="errorlist"' in page
    assert '<input type="hidden" name="check_all" value="1">' in page
    assert "hx-swap-oob" not in page
    # Title passes now: its box is said again, empty; Description, still empty, is left as it is.
    fresh = typing.content.decode()
    title_passes = 'data-errors-for="id_title" hx-swap-oob="true"></div>'
    assert title_passes in fresh
    assert 'id="id_description_errorbox"' not in fresh
    assert "things to fix" not in fresh
    # After a failed save every mistake is named again, the empty ones too.
    again = after_failure.content.decode()
    assert title_passes in again
    assert (
        'id="id_description_errorbox" data-errors-for="id_description" hx-swap-oob="true">'
        '<ul class="errorlist"'
    ) in again
    assert "One thing to fix" in again
    assert not Campaign.objects.exists()


def test_a_failed_save_focuses_the_summary_and_a_check_does_not(client, manager):
    failed = client.post("/brands/acme/new/", {**FORM, "title": ""}).content.decode()
    checked = client.post("/brands/acme/new/", {**FORM, "title": "\x00"}, **HTMX).content.decode()

    assert 'aria-labelledby="checks-heading" tabindex="-1" autofocus>' in failed
    assert 'tabindex="-1">' in checked
    assert "autofocus" not in checked


@pytest.mark.parametrize(
    ("perk_type", "shown", "left_out"),
    [
        ("code", [], ["slots", "needs_address"]),
        ("discount", [], ["slots", "needs_address"]),
        ("product", ["needs_address"], ["slots"]),
        ("experience", ["slots"], ["needs_address"]),
    ],
)
def test_how_to_claim_shows_and_saves_only_the_perk_types_own_fields(
    client, manager, perk_type, shown, left_out
):
    campaign = draft_of(client, perk_type=perk_type, quantity="4")
    url = f"/brands/acme/{campaign.pk}/edit/claiming/"

    page = client.get(url).content.decode()
    typed = {**FORM, "perk_type": perk_type, "quantity": "4", "needs_address": "on"}
    typing = client.post(url, {**typed, "slots": "not a date"}, **HTMX).content.decode()
    saved = client.post(url, {**typed, "slots": "2026-12-05 10:00, 4" if "slots" in shown else "x"})

    for name in shown:
        assert f'name="{name}"' in page
    for name in left_out:
        assert f'name="{name}"' not in page
    assert ("Dates:" in typing) == ("slots" in shown)
    assert "For an experience" not in page
    assert saved.status_code == 302
    campaign.refresh_from_db()
    assert campaign.needs_address == ("needs_address" in shown)
    assert campaign.slots.count() == ("slots" in shown)


def test_a_change_of_perk_type_drops_the_old_types_dates(client, manager):
    campaign = draft_of(client, perk_type="experience", quantity="4")
    url = f"/brands/acme/{campaign.pk}/edit/"
    experience = {**FORM, "perk_type": "experience", "quantity": "4"}
    client.post(f"{url}claiming/", {**experience, "slots": "2026-12-05 10:00, 4"})
    assert campaign.slots.count() == 1

    changed = client.post(f"{url}offer/", {**experience, "perk_type": "code", "slots": "x"})

    assert changed.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.perk_type, campaign.slots.count()) == ("code", 0)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("VoltWalk", "#VoltWalk"), ("#VoltWalk", "#VoltWalk"), (" été_2026 ", "#été_2026"), ("", "")],
)
def test_a_hashtag_gets_its_hash(client, manager, typed, saved):
    campaign = draft_of(client)

    response = client.post(f"/brands/acme/{campaign.pk}/edit/claiming/", {**FORM, "hashtag": typed})

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.hashtag == saved


@pytest.mark.parametrize(
    "typed", ["Volt Walk", "#Volt-Walk", "#", "##Volt", "Volt!", "Volt\x00", "\ud800", "x" * 100]
)
def test_a_hashtag_with_spaces_or_punctuation_is_refused(client, manager, typed):
    campaign = draft_of(client)

    url = f"/brands/acme/{campaign.pk}/edit/claiming/"
    response = post_raw(client, url, {**FORM, "hashtag": typed})

    assert response.status_code == 400
    assert "Hashtag: " in response.content.decode()
    assert Campaign.objects.get().hashtag == "#VoltDays"


def code_draft(client):
    campaign = campaign_built(client, "acme", {**FORM, "perk_type": "code", "quantity": "3"})
    return campaign, f"/brands/acme/{campaign.pk}/edit/review/"


def csv_of(text):
    return SimpleUploadedFile("codes.csv", text if isinstance(text, bytes) else text.encode())


def test_a_code_perk_gets_its_codes_on_the_review_step_before_it_may_be_submitted(client, manager):
    campaign, url = code_draft(client)

    before = client.get(url).content.decode()
    uploaded = client.post(url, {"file": csv_of("code\nA-1\nA-2\n")}, follow=True)
    short = uploaded.content.decode()
    last = client.post(url, {"file": csv_of("A-3\n")}, follow=True)

    assert "0 of 3 are in the pool, so 3 more are needed before you can submit it." in before
    assert 'name="move" value="submit"' not in before
    assert '<label for="id_file">Code file (CSV):</label>' in before
    assert "#codes" not in before
    assert uploaded.redirect_chain == [(url, 302)]
    assert messages_of(uploaded)[-1] == "2 codes added to the pool."
    assert "2 of 3 are in the pool, so 1 more is needed" in short
    assert messages_of(last)[-1] == "1 code added to the pool."
    assert 'name="move" value="submit"' in last.content.decode()
    assert "codes-needed" not in last.content.decode()
    assert campaign.codes.count() == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"A-1\nA-1\n", "repeats line 1"),
        (b"A-1\n\x00B\n", "control character"),
        (b"\xed\xa0\x80\n", "not UTF-8"),
        (b"A-1\n\x1b[31m\n", "control character"),
        (b"9" * 300 + b"\n", "longer than"),
        (b"", "Choose a CSV file of codes."),
    ],
)
def test_a_bad_code_file_on_review_says_why_and_adds_none(client, manager, body, message):
    campaign, url = code_draft(client)

    response = client.post(url, {"file": csv_of(body)}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert message in " ".join(messages_of(response))
    assert campaign.codes.count() == 0


def test_a_huge_code_file_on_review_is_refused_unread(client, manager):
    campaign, url = code_draft(client)

    response = client.post(url, {"file": csv_of(b"A\n" * (3 * 2**20))}, follow=True)

    assert "The file is over 5 MB." in messages_of(response)
    assert campaign.codes.count() == 0


def test_codes_on_review_only_by_the_brands_managers_of_a_draft(client, manager, brand):
    campaign, url = code_draft(client)
    other = Brand.objects.create(name="Other", slug="other")
    client.force_login(member(brand, Role.VIEWER))
    by_viewer = client.post(url, {"file": csv_of("A-1\n")})
    client.force_login(member(other, Role.OWNER))
    by_other = client.post(url, {"file": csv_of("A-1\n")})
    client.force_login(manager)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SUBMITTED)
    submitted = client.post(url, {"file": csv_of("A-1\n")})

    assert by_viewer.status_code in (403, 404)
    assert by_other.status_code == 404
    assert submitted.status_code == 302
    assert campaign.codes.count() == 0


def test_the_review_names_the_countries_it_targets(client, manager):
    campaign = draft_of(client)
    client.post(f"/brands/acme/{campaign.pk}/edit/audience/", {**FORM, "countries": "ca fr"})

    review = client.get(f"/brands/acme/{campaign.pk}/edit/review/").content.decode()

    assert "<dt>Places</dt><dd>Canada, France</dd>" in review
