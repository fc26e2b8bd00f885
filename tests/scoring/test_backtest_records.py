"""The weekly backtest of the live model, kept for the about page: on the real MathOverflow
excerpt (tests/scoring/data/mathoverflow), measured on 2013-01-31, so that the cut is
2013-01-01 with the excerpt's 90 days before it and 30 after."""

from datetime import date

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from scoring.backtest import BASELINES, backtest
from scoring.engine.versions import LIVE
from scoring.models import ModelBacktest, Person, ScoreSnapshot
from scoring.services.backtests import model_backtest_record
from scoring.tasks import backtest_record_task
from tests.scoring.test_backtest import EXCERPT

pytestmark = pytest.mark.django_db

MEASURED = date(2013, 1, 31)
CUT = date(2013, 1, 1)
RANKED = 167  # users anyone engaged with in the excerpt's 90 days before the cut


@pytest.fixture
def scored_excerpt(import_signals, capsys):
    """The excerpt, scored by the nightly run on the day measured."""
    import_signals(EXCERPT, format="snap", network="blog")
    call_command("compute_scores", as_of=MEASURED.isoformat())
    capsys.readouterr()


def scores():
    return dict(Person.objects.values_list("pk", "score"))


def test_the_live_models_backtest_is_kept_with_the_baselines_and_no_score_moves(
    scored_excerpt,
):
    snapshots, before = ScoreSnapshot.objects.count(), scores()

    record = model_backtest_record(today=MEASURED)

    fits = {name: fit.as_dict() for name, fit in expected_fits().items()}
    stored = ModelBacktest.objects.get()
    assert stored == record
    assert (stored.measured_on, stored.model_version, stored.cut_day) == (MEASURED, LIVE, CUT)
    assert (stored.horizon_days, stored.candidates) == (30, RANKED)
    assert {"spearman": stored.spearman, "top_precision": stored.top_precision} == fits[LIVE]
    assert stored.baselines == [{"name": name, **fits[name]} for name in BASELINES]
    assert [b["name"] for b in stored.baselines] == [
        "distinct_engagers", "engagement_count", "pagerank",
    ]  # fmt: skip
    assert ScoreSnapshot.objects.count() == snapshots > 0
    assert scores() == before


def expected_fits():
    (cut,) = backtest(cuts=[CUT], horizon_days=30, models=[LIVE]).cuts
    return cut.fits


def test_measuring_the_same_day_again_replaces_it_and_another_day_adds_one(scored_excerpt):
    first = model_backtest_record(today=MEASURED)
    ModelBacktest.objects.update(spearman=-1.0, candidates=0, baselines=[])

    again = model_backtest_record(today=MEASURED)
    model_backtest_record(today=date(2013, 1, 24))

    assert again.pk == first.pk
    stored = ModelBacktest.objects.get(measured_on=MEASURED)
    assert (stored.spearman, stored.candidates) == (first.spearman, RANKED)
    assert stored.baselines == first.baselines
    cuts = ModelBacktest.objects.order_by("measured_on").values_list("cut_day", flat=True)
    assert list(cuts) == [date(2012, 12, 25), CUT]


def test_the_weekly_task_measures_today_and_a_retry_replaces_it(db):
    first = backtest_record_task.delay().get()
    second = backtest_record_task.delay().get()

    stored = ModelBacktest.objects.get()
    assert first == second == stored.pk
    assert stored.measured_on == timezone.now().date()
    assert (stored.candidates, stored.spearman, stored.top_precision) == (0, 0.0, 0.0)


def test_beat_runs_the_backtest_once_a_week():
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-backtest"]

    assert entry["task"] == backtest_record_task.name == "scoring.tasks.backtest_record_task"
    assert entry["schedule"] == crontab(day_of_week="sun", hour=3, minute=0)


def test_the_command_keeps_a_day_as_the_beat_would(scored_excerpt, capsys):
    call_command("record_backtest", "--day", MEASURED.isoformat())

    stored = ModelBacktest.objects.get()
    assert capsys.readouterr().out == (
        f"Backtest of {LIVE} kept for 2013-01-31: cut 2013-01-01, horizon 30 days, "
        f"{RANKED} people ranked; Spearman's rho {stored.spearman:.3f}, top-1 % precision "
        f"{stored.top_precision:.3f}.\n"
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2013-01-31\x00", "is not a day"),
        ("2013-02-30", "is not a day"),
        ("\ud800", "is not a day"),
        ("99999999999999999999", "is not a day"),
        ("0001-01-05", "date value out of range"),
        ("0001-03-01", "runs off the calendar"),
    ],
)
def test_the_command_refuses_a_day_it_cannot_measure(db, day, message):
    with pytest.raises(CommandError, match=message):
        call_command("record_backtest", "--day", day)

    assert not ModelBacktest.objects.exists()
