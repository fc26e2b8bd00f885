"""Persistence, the fourth part of a score in the model versions that count it: kept with each
day's snapshot, explained and ranked among everyone like the other parts, shown on the profile
and in the API, and summed over a person's handles when one joins them. A score made by a
version without it keeps 0 and shows none."""

import pytest

from marketplace.api_keys.services import api_key_create
from marketplace.models import ApiScope
from scoring.models import Handle, Person, ScoreSnapshot
from scoring.services.verification import handle_verify
from tests.factories import UserFactory
from tests.scoring.worlds import handle, post, score_days, share, write_and_import

pytestmark = pytest.mark.django_db

FANS = [f"f{n}" for n in range(7)]
STEADY_DAYS = {"f0": 18, "f1": 19, "f2": 20}  # three people on three days: persistence 3
BURST_FANS = FANS[3:]  # four people on one day: persistence 1


@pytest.fixture
def live(monkeypatch):
    """Makes a version the live model, for the daily run and for a rescore."""

    def make(version):
        monkeypatch.setattr("scoring.management.commands.compute_scores.LIVE", version)
        monkeypatch.setattr("scoring.services.rescore.LIVE", version)

    return make


@pytest.fixture
def steady_and_burst(tmp_path):
    """Steady's post drew three fans on three days; Burst's drew four on one day. Steady also
    has a Mastodon account, its own person until verified, that two people engaged with on two
    days."""
    records = [handle("steady", "steady", "Steady"), handle("burst", "burst", "Burst")]
    records += [handle(f, f, f"Fan {f}") for f in FANS]
    records += [post("s1", "steady"), post("b1", "burst")]
    records += [share(f, "steady", "s1", day=day) for f, day in STEADY_DAYS.items()]
    records += [share(f, "burst", "b1", day=20) for f in BURST_FANS]
    records += [handle("m", "steady@social.example", "Steady M.", network="mastodon")]
    records += [
        handle(f"m{n}", f"m{n}@social.example", f"M{n}", network="mastodon") for n in (0, 1)
    ]
    records += [post("m1", "m", network="mastodon")]
    records += [share(f"m{n}", "m", "m1", day=19 + n, network="mastodon") for n in (0, 1)]
    write_and_import(tmp_path, records)


def person(username):
    return Handle.objects.get(username=username).person


def persistence_of_snapshots():
    return dict(
        ScoreSnapshot.objects.filter(
            person__handles__username__in=["steady", "burst", "f0"]
        ).values_list("person__handles__username", "persistence")
    )


def test_a_run_keeps_persistence_with_each_snapshot_and_ranks_it_like_the_other_parts(
    live, steady_and_burst
):
    live("v3")
    score_days(21)

    steady = person("steady").score_details
    assert persistence_of_snapshots() == {"steady": 3.0, "burst": 1.0, "f0": 0.0}
    assert (steady["persistence"], person("burst").score_details["persistence"]) == (3.0, 1.0)
    # Twelve people: nine with no persistence, the Mastodon account (2), Burst (1), Steady.
    assert steady["percentiles"]["persistence"] == 91.67
    assert set(steady["percentiles"]) == {"reach", "amplification", "network", "persistence"}


def test_a_model_without_persistence_keeps_0_and_shows_no_such_part(live, steady_and_burst, client):
    live("v1")
    score_days(21)

    steady = person("steady")
    assert persistence_of_snapshots() == {"steady": 0.0, "burst": 0.0, "f0": 0.0}
    assert "persistence" not in steady.score_details
    assert "persistence" not in steady.score_details["percentiles"]
    body = client.get(f"/p/{steady.public_id}/").content.decode()
    assert body.count('class="card part"') == 3
    assert "Persistence" not in body


def test_the_profile_shows_persistence_as_a_fourth_part_where_it_stands(
    live, steady_and_burst, client
):
    live("v3")
    score_days(21)

    body = client.get(f"/p/{person('steady').public_id}/").content.decode()

    assert body.count('class="card part"') == 4
    assert "<dt>Persistence</dt>" in body
    assert (
        '<dd class="part-rank" title="Persistence: 3">'
        "Higher than <strong>91 %</strong> of people</dd>"
    ) in body
    assert '<p>Persistence: <span class="part-value">3</span></p>' in body
    assert "never counting more days than different people" in body


@pytest.mark.parametrize(("version", "figure"), [("v3", 3.0), ("v1", None)])
def test_the_api_gives_persistence_from_a_model_that_counts_it_and_null_otherwise(
    live, steady_and_burst, client, version, figure
):
    live(version)
    score_days(21)
    key = api_key_create(name="Partner", scope=ApiScope.READ).key

    detail = client.get(
        f"/api/v1/people/{person('steady').public_id}/", HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()

    assert set(detail["parts"]) == {"reach", "amplification", "network", "persistence"}
    assert detail["parts"]["persistence"] == figure


def test_a_joined_handle_adds_its_persistence_at_once_and_the_rescore_as_the_run_would(
    live, steady_and_burst, django_capture_on_commit_callbacks
):
    live("v3")
    score_days(21)
    user = UserFactory()
    handle_verify(user=user, handle=Handle.objects.get(username="steady"))

    mastodon = Handle.objects.get(network="mastodon", external_id="m")
    with django_capture_on_commit_callbacks(execute=True):  # the rescore runs on commit
        joined = handle_verify(user=user, handle=mastodon)
        provisional = Person.objects.get(pk=joined.pk).score_details["persistence"]
    joined.refresh_from_db()
    rescored = joined.score_details
    snapshot = ScoreSnapshot.objects.get(person=joined, day=joined.score_day)

    assert provisional == 5.0  # 3 + 2, before the rescore
    assert (rescored["persistence"], snapshot.persistence) == (5.0, 5.0)
    score_days(21)  # the day's run again, now that both handles are Steady's
    joined.refresh_from_db()
    assert joined.score_details["percentiles"] == rescored["percentiles"]
    assert ScoreSnapshot.objects.get(person=joined, day=joined.score_day).persistence == 5.0
