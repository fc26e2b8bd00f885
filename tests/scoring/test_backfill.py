"""compute_scores --since: the days before the one scored, each as the nightly run would have
scored it, so that a new world has its history, changes and reasons from the first day."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.engine.versions import LIVE
from scoring.management.commands.compute_scores import first_day
from scoring.models import Person, ScoreSnapshot
from scoring.selectors.klout import klout_score
from scoring.selectors.profiles import person_profile
from tests.scoring.worlds import fans_world

pytestmark = pytest.mark.django_db

LAST = date(2026, 11, 17)
FIRST = LAST - timedelta(days=7)  # --since 8d


@pytest.fixture
def fans(tmp_path):
    fans_world(tmp_path)


def compute(*args):
    out = StringIO()
    call_command("compute_scores", "--as-of", LAST.isoformat(), *args, stdout=out)
    return out.getvalue().splitlines()


def history():
    """(person, day) → score of every snapshot."""
    rows = ScoreSnapshot.objects.values_list("person__handles__username", "day", "score")
    return {(username, day): score for username, day, score in rows}


def alice():
    return Person.objects.get(handles__username="alice")


def test_since_days_scores_each_day_up_to_the_last_in_order_and_says_so(fans):
    lines = compute("--since", "8d")

    assert [re.sub(r" in [0-9.]+ s", " in … s", line) for line in lines[:7]] == [
        f"Day {n} of 8: scored 7 people for {FIRST + timedelta(days=n - 1)} in … s."
        for n in range(1, 8)
    ]
    assert lines[7].startswith(f"Day 8 of 8: scored 7 people for {LAST} with {LIVE} in ")
    assert len(lines) == 8
    days = sorted({day for _, day in history()})
    assert days == [FIRST + timedelta(days=n) for n in range(8)]
    assert ScoreSnapshot.objects.count() == 7 * 8  # one a person and day
    assert alice().score_day == LAST


def test_since_a_day_is_the_same_as_the_days_up_to_the_last(fans):
    compute("--since", "8d")
    by_days = history()
    ScoreSnapshot.objects.all().delete()

    compute("--since", FIRST.isoformat())

    assert history() == by_days


def test_each_day_is_what_the_nightly_run_of_that_day_gives(fans):
    compute("--since", "8d")
    backfilled = history()

    for n in range(8):
        call_command("compute_scores", "--as-of", (FIRST + timedelta(days=n)).isoformat())

    assert history() == backfilled
    assert backfilled[("alice", FIRST)] == 1.0  # nothing before the 10th
    assert backfilled[("alice", date(2026, 11, 16))] > backfilled[("alice", date(2026, 11, 12))]


def test_running_again_keeps_the_days_scored_and_scores_the_last_again(fans):
    compute("--since", "4d")
    before = history()
    ScoreSnapshot.objects.filter(day=LAST).delete()

    lines = compute("--since", "8d")

    assert lines[0] == "3 of the 8 days were scored before and are kept (--as-of scores one again)."
    assert [line.split(":")[0] for line in lines[1:]] == [f"Day {n} of 8" for n in (1, 2, 3, 4, 8)]
    assert ScoreSnapshot.objects.count() == 7 * 8
    assert {key: score for key, score in history().items() if key in before} == before


def test_after_a_backfill_the_reasons_and_changes_compare_with_the_days_before(fans):
    compute("--since", "8d")

    person = alice()
    scores = {day: score for (username, day), score in history().items() if username == "alice"}
    # Nobody engaged on the 16th: what moved is older engagement fading since the day before.
    (reason,) = person.score_details["reasons"]
    assert reason == {
        "points": round(scores[LAST] - scores[LAST - timedelta(days=1)], 2),
        "text": "engagement from weeks ago is fading",
    }
    assert reason["points"] < 0
    changes = klout_score(klout_id=person.public_id).changes
    assert changes == {
        "dayChange": round(person.score - scores[LAST - timedelta(days=1)], 2),
        "weekChange": round(person.score - scores[LAST - timedelta(days=7)], 2),
        "monthChange": 0.0,  # no snapshot 30 days before
    }
    profile = person_profile(public_id=person.public_id)
    assert profile.history == sorted(scores.items())
    assert (profile.first_day, profile.day_before_scored) == (False, True)


@pytest.mark.parametrize(
    ("since", "error"),
    [
        ("0d", "--since takes from 1d to 366d, not 0d"),
        ("367d", "--since takes from 1d to 366d, not 367d"),
        ("9" * 40 + "d", "--since takes from 1d to 366d"),
        ("-5d", "--since takes a number of days such as 90d or a day (YYYY-MM-DD), not '-5d'"),
        ("90", "not '90'"),
        ("ninety days", "not 'ninety days'"),
        ("90d\x00", r"not '90d\x00'"),
        ("\x1b[2J", r"not '\x1b[2J'"),
        ("\u0669\u0660d", "not '\u0669\u0660d'"),  # Arabic-Indic 90
        ("9" * 5000, "such as 90d"),
        ("2026-02-30", "not '2026-02-30'"),
        ("2026-11-18", "--since 2026-11-18 is after the day scored, 2026-11-17"),
        ("2025-11-16", "--since 2025-11-16 is more than 366 days before 2026-11-17"),
    ],
)
def test_refuses_what_is_not_a_number_of_days_or_a_day_in_reach(fans, since, error):
    with pytest.raises(CommandError) as refused:
        compute(f"--since={since}")

    assert error in str(refused.value)
    assert not ScoreSnapshot.objects.exists()
    assert not Person.objects.exclude(score=None).exists()


def test_a_year_back_is_in_reach_either_way():
    a_year = LAST - timedelta(days=365)

    assert first_day("366d", LAST) == first_day(a_year.isoformat(), LAST) == a_year
    assert first_day("1d", LAST) == first_day(LAST.isoformat(), LAST) == LAST


FIRST_DAY = (
    "This is the first day Sway scored Alice Martin; there is no earlier day to compare with."
)


def profile_page(client):
    response = client.get(f"/p/{alice().public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_profile_scored_on_one_day_says_there_is_no_earlier_day(client, fans):
    compute()

    body = profile_page(client)

    assert FIRST_DAY in body
    assert (
        "Sway scored Alice Martin for the first time on 17 November, so the chart has one point "
        "so far: the line grows a day at a time." in body
    )
    chart_title = f"Score {alice().score:.0f} on 17 November, the only day scored so far."
    assert f'<title id="chart-title">{chart_title}</title>' in body
    assert '<ul class="reasons">' not in body
    assert "since the day before" not in body


def test_a_profile_without_a_score_of_the_day_before_says_so(client, fans):
    call_command("compute_scores", "--as-of", "2026-11-15")
    compute()

    body = profile_page(client)

    assert (
        "Sway has no score for Alice Martin on 16 November, the day before, so there is "
        "nothing to compare with." in body
    )
    assert FIRST_DAY not in body
    assert "the chart has one point" not in body
    assert '<ul class="reasons">' not in body


def test_after_a_backfill_the_profile_compares_with_the_day_before(client, fans):
    compute("--since", "8d")

    body = profile_page(client)

    assert "engagement from weeks ago is fading" in body
    assert "there is no earlier day" not in body
    assert "nothing to compare with" not in body
    assert "the chart has one point" not in body
