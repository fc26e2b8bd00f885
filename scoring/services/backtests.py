"""The weekly backtest of the live model, kept: how well the score predicted who would move
people over the last complete horizon, which the about page and the API show."""

from datetime import date, timedelta

from django.db import transaction

from scoring.backtest import Backtest, backtest
from scoring.engine.versions import LIVE
from scoring.models import ModelBacktest

HORIZON_DAYS = 30


def model_backtest_record(*, today: date) -> ModelBacktest:
    """Backtest the live model as of `HORIZON_DAYS` before today, ranked against what happened
    since, and keep it as today's measurement: measuring a day again replaces it. Only the
    write is a transaction: like a scoring run, the reading is done before it, so that minutes
    of reading hold no lock on the interactions."""
    result = backtest(
        cuts=[today - timedelta(days=HORIZON_DAYS)], horizon_days=HORIZON_DAYS, models=[LIVE]
    )
    return _store(measured_on=today, result=result)


@transaction.atomic
def _store(*, measured_on: date, result: Backtest) -> ModelBacktest:
    (cut,) = result.cuts
    (version,) = result.models
    fits = {name: fit.as_dict() for name, fit in cut.fits.items()}
    record = ModelBacktest.objects.filter(measured_on=measured_on, model_version=version).first()
    record = record or ModelBacktest(measured_on=measured_on, model_version=version)
    record.cut_day = cut.as_of
    record.horizon_days = result.horizon_days
    record.candidates = cut.candidates
    record.spearman = fits[version]["spearman"]
    record.top_precision = fits[version]["top_precision"]
    record.baselines = [
        {"name": name, **fits[name]} for name in result.predictors if name != version
    ]
    record.full_clean()
    record.save()
    return record
