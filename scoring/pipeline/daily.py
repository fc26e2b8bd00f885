"""The daily run, extract → compute → load, and past days' snapshots (backfill)."""

import gc
import resource
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from django.conf import settings

from scoring.engine.explain import NEW_DAYS, without_new_engagement
from scoring.engine.model import Params, Scores
from scoring.engine.parquet import LayoutError, without_new_left, without_new_read
from scoring.models import ScoreSnapshot
from scoring.pipeline.compute import compute_with
from scoring.pipeline.explanations import day_reasons
from scoring.pipeline.extract import (
    Extract,
    assemble,
    extract_window,
    interactions_between,
    scored_handles,
    window,
    window_check,
    window_write,
)
from scoring.pipeline.indexes import refresh_statistics, targeting_index_set_aside
from scoring.pipeline.load import day_load, scores_load


@dataclass(frozen=True)
class RunSummary:
    as_of: date
    model: str
    people: int
    scored: int  # people with any engagement
    median: float
    p95: float
    p99: float
    max: float
    seconds: float
    steps: dict[str, float]  # seconds of each step of a day's run: extract, compute, load…
    steps_peak_mb: dict[str, int]  # the process's peak resident memory (Linux) when each step ended

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "as_of": self.as_of.isoformat()}


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The run makes millions of lists and dictionaries, none in a reference cycle; each time
    they pass a threshold the collector would walk all of them again (docs/PERFORMANCE.md,
    "The whole pipeline")."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_without_cycle_collection()
def run(
    *,
    as_of: date,
    params: Params,
    live: bool,
    engine: str | None = None,
    scores_url: str | None = None,
) -> tuple[RunSummary, Scores, Extract]:
    """Score the day `as_of` (signals before its midnight) with the compute step `engine`
    (SCORING_ENGINE by default), the window first written where SCORING_WINDOW_URL says. Or,
    given `scores_url`, load the scores a compute step elsewhere found there from the window at
    SCORING_WINDOW_URL (`window_only`), if it is still the day's, and the reasons'
    counterfactual if it left that too (else `engine` scores it; if it did, the extract
    returned holds only the last day's engagement). A live run also updates each person's
    current score; a shadow run writes only its own snapshots."""
    started = time.monotonic()
    steps: dict[str, float] = {}
    peaks: dict[str, int] = {}
    compute = compute_with(engine)  # the explanations' counterfactual, whoever scored
    with _step(steps, peaks, "extract"):
        extract = extract_window(as_of=as_of, params=params)
    window_url = settings.SCORING_WINDOW_URL
    without_new = None  # the reasons' counterfactual, where the compute step scored it
    if scores_url is not None:
        with _step(steps, peaks, "read_scores"):
            window_check(extract, as_of, window_url)
            counterfactual_left = without_new_left(scores_url)
            if counterfactual_left:
                # The reasons then read only the last day's engagement: the rest goes before
                # the scores come in (at 100 million interactions, 4 GB).
                extract = replace(extract, signals=extract.signals.newer_than(NEW_DAYS))
            scores = scores_load(scores_url, extract, params.version)
            if counterfactual_left:
                without_new = without_new_read(scores_url, scores)
    else:
        if window_url:
            with _step(steps, peaks, "write_window"):
                extract = window_write(extract, params, as_of, window_url)
        with _step(steps, peaks, "compute"):
            scores = compute(extract.signals, params, None)
    reasons = None
    if live:
        with _step(steps, peaks, "reasons"):
            if without_new is None:
                without_new = without_new_engagement(extract.signals, params, scores, compute)
            reasons = day_reasons(
                day=as_of, scores=scores, extract=extract, without_new=without_new
            )
    with _step(steps, peaks, "load"), targeting_index_set_aside(live):
        day_load(day=as_of, scores=scores, extract=extract, reasons=reasons)
    if live:
        with _step(steps, peaks, "statistics"):
            refresh_statistics()
    return _summary(as_of, scores, extract, started, steps, peaks), scores, extract


def window_only(*, as_of: date, params: Params) -> Extract:
    """The day's window written at SCORING_WINDOW_URL and nothing scored: for a compute step
    elsewhere (the Spark job, spark-submit), whose scores `run(scores_url=…)` then loads."""
    if not settings.SCORING_WINDOW_URL:
        raise LayoutError("SCORING_WINDOW_URL is empty: it names where the window goes")
    extract = extract_window(as_of=as_of, params=params)
    return window_write(extract, params, as_of, settings.SCORING_WINDOW_URL)


def scored_days(days: Iterable[date], version: str) -> set[date]:
    """Those of `days` that have snapshots of the model: days a run has scored."""
    of_model = ScoreSnapshot.objects.filter(model_version=version)
    return {day for day in days if of_model.filter(day=day).exists()}


def backfill(
    *, days: Sequence[date], params: Params, engine: str | None = None
) -> Iterator[RunSummary]:
    """Score each of `days` (oldest first) as the nightly run would have, each from the window
    before it, and write only its snapshots: the past days of everyone's history. A live run
    of the day after them then sets current scores, topics and reasons, which compare with
    the last of these days. The signals of all the windows are read once, and the handles as
    they are now (who has opted out, which handles are joined)."""
    if not days:
        return
    compute = compute_with(engine)
    handles = scored_handles()
    interactions = interactions_between(window(days[0], params)[0], window(days[-1], params)[1])
    seconds = interactions[3]
    with _without_cycle_collection():
        for day in days:
            started = time.monotonic()
            start, end = window(day, params)
            inside = (seconds >= start.timestamp()) & (seconds < end.timestamp())
            extract = assemble(end, handles, tuple(column[inside] for column in interactions))
            scores = compute(extract.signals, params, None)
            day_load(day=day, scores=scores, extract=extract, reasons=None)
            yield _summary(day, scores, extract, started, {}, {})


@contextmanager
def _step(steps: dict[str, float], peaks: dict[str, int], name: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    steps[name] = round(time.monotonic() - started, 2)
    # ru_maxrss: the process's peak so far, in KiB on Linux
    peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _summary(
    day: date,
    scores: Scores,
    extract: Extract,
    started: float,
    steps: dict[str, float],
    peaks: dict[str, int],
) -> RunSummary:
    engaged = scores.score[scores.reach > 0]
    quantiles = np.percentile(engaged, [50, 95, 99]) if len(engaged) else np.zeros(3)
    return RunSummary(
        as_of=day,
        model=scores.version,
        people=extract.signals.people,
        scored=len(engaged),
        median=round(float(quantiles[0]), 2),
        p95=round(float(quantiles[1]), 2),
        p99=round(float(quantiles[2]), 2),
        max=round(float(scores.score.max(initial=1.0)), 2),
        seconds=round(time.monotonic() - started, 2),
        steps=steps,
        steps_peak_mb=peaks,
    )
