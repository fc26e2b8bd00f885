import json
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from scoring.engine.compute import compute
from scoring.engine.model import REPLY, SHARE, Signals
from scoring.engine.versions import LIVE, MODELS
from scoring.models import Handle, Person, PersonTopic, ScoreDetails, ScoreSnapshot, Topic
from scoring.pipeline import window
from scoring.tasks import compute_scores_task

pytestmark = pytest.mark.django_db

DAY = date(2023, 11, 20)  # the snap lines below are from 2023-11-14 and 15
REPLY_AT = 1700060000  # 2's reply to 1


@pytest.fixture
def imported(tmp_path):
    """Ten fans share person 1's posts; 1 and 2 reply to each other; 3 is quiet."""
    lines = [f"{fan} 1 {1700000000 + fan} RT" for fan in range(100, 110)]
    lines += ["1 2 1700050000 RE", f"2 1 {REPLY_AT} RE"]
    path = tmp_path / "activity.txt"
    path.write_text("\n".join(lines) + "\n3 1 1500000000 MT\n")
    call_command("import_signals", str(path), format="snap", network="twitter")


def star_reach():
    """Person 1's reach by the live model: ten shares, one from each fan, and 2's reply."""
    _, end = window(DAY, MODELS[LIVE])
    seconds = np.array([*(1700000000 + fan for fan in range(100, 110)), REPLY_AT])
    signals = Signals(
        handle_person=np.arange(12),
        handle_network=np.zeros(12, dtype=np.int64),
        handle_hidden=np.zeros(12, dtype=bool),
        actor=np.arange(1, 12),
        target=np.zeros(11, dtype=np.int64),
        kind=np.array([SHARE] * 10 + [REPLY]),
        age_days=(end.timestamp() - seconds) / 86400,
        post=np.full(11, -1),
        people=12,
        networks=1,
    )
    return compute(signals, MODELS[LIVE]).reach[0]


def person(external_id):
    return Handle.objects.get(external_id=external_id).person


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("compute_scores", *args, stdout=out)
    return out.getvalue()


def test_scores_a_day_and_reports_it_as_json(imported):
    out = run("--as-of", DAY.isoformat(), "--report", "json")

    report = json.loads(out.splitlines()[-1])
    assert set(report) == {"as_of", "model", "people", "scored", "median", "p95", "p99", "max",
                           "seconds", "steps", "steps_peak_mb"}  # fmt: skip
    assert list(report["steps"]) == ["extract", "compute", "reasons", "load", "statistics"]
    rounding = 0.005 * (len(report["steps"]) + 1)  # each step and the whole, to 0.01 s
    assert 0 <= sum(report["steps"].values()) <= report["seconds"] + rounding
    peaks = list(report["steps_peak_mb"].values())
    assert list(report["steps_peak_mb"]) == list(report["steps"])
    assert peaks[0] > 0
    assert peaks == sorted(peaks)  # the peak so far, when each step ended
    assert (report["as_of"], report["model"], report["people"], report["scored"]) == (
        "2023-11-20",
        LIVE,
        13,
        2,
    )
    star = person("1")
    assert star.score_day == DAY
    assert star.score == report["max"]
    assert star.score > person("2").score > 1.0 == person("3").score
    assert star.score_details["reach"] == pytest.approx(star_reach(), abs=1e-3)
    fans = {h.person_id for h in Handle.objects.filter(external_id__in=["100", "101"])}
    assert fans <= {pk for pk, _ in star.score_details["influencees"]} | fans
    snapshot = ScoreSnapshot.objects.get(person=star, day=DAY)
    assert (snapshot.model_version, snapshot.score) == (LIVE, star.score)


def test_running_a_day_again_replaces_it(imported):
    run("--as-of", DAY.isoformat())
    first = list(ScoreSnapshot.objects.order_by("person_id").values_list("person_id", "score"))

    run("--as-of", DAY.isoformat())

    assert list(ScoreSnapshot.objects.order_by("person_id").values_list("person_id", "score")) == (
        first
    )


def test_signals_after_the_day_do_not_count(imported):
    run("--as-of", "2023-11-14")

    assert person("1").score == 1.0


def test_a_shadow_model_writes_only_its_snapshots_and_reports_the_moves(imported):
    run("--as-of", DAY.isoformat())
    live = person("1").score

    out = run("--as-of", DAY.isoformat(), "--model", "v2", "--shadow", "--report", "json")

    shadow = json.loads(out.splitlines()[-1])["shadow"]
    assert (shadow["live_model"], shadow["compared"]) == (LIVE, 13)
    assert -1.0 <= shadow["rank_correlation"] <= 1.0
    assert person("1").score == live
    assert ScoreSnapshot.objects.filter(model_version="v2", day=DAY).count() == 13


def test_only_the_live_model_runs_live_and_only_another_runs_in_shadow(imported):
    with pytest.raises(CommandError, match="v2 is not live"):
        run("--model", "v2")
    with pytest.raises(CommandError, match=f"{LIVE} is the live model"):
        run("--model", LIVE, "--shadow")


def test_people_who_opted_out_are_not_scored(imported):
    Person.objects.filter(pk=person("1").pk).update(opted_out=True)

    out = run("--as-of", DAY.isoformat(), "--report", "json")

    assert json.loads(out.splitlines()[-1])["people"] == 12
    assert not ScoreSnapshot.objects.filter(person=person("1")).exists()


def test_the_nightly_task_runs_the_live_model(imported):
    summary = compute_scores_task(DAY.isoformat())

    assert (summary["model"], summary["people"]) == (LIVE, 13)
    assert person("1").score_day == DAY


def test_a_self_reply_on_the_newest_post_is_no_problem(tmp_path):
    path = tmp_path / "self.jsonl"
    records = [
        {"type": "post", "network": "twitter", "id": "p1", "author": "1",
         "published_at": "2024-04-01T09:00:00Z"},
        {"type": "interaction", "network": "twitter", "actor": "1", "target": "1",
         "kind": "reply", "post": "p1", "occurred_at": "2024-04-01T10:00:00Z"},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    call_command("import_signals", str(path), format="jsonl")

    run("--as-of", "2024-04-10")

    assert person("1").score == 1.0


def test_people_who_opt_out_lose_their_current_score_and_everyone_opted_out_is_fine(imported):
    run("--as-of", DAY.isoformat())
    Person.objects.update(opted_out=True)

    out = run("--as-of", DAY.isoformat(), "--report", "json")

    assert json.loads(out.splitlines()[-1])["people"] == 0
    assert not Person.objects.exclude(score=None).exists()
    assert not ScoreDetails.objects.exists()


def person_table_state():
    """Pages, all-visible pages, updates and HOT updates so far, whether the index is valid."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # this backend's counts, now
        cursor.execute(
            "SELECT c.relpages, c.relallvisible, s.n_tup_upd, s.n_tup_hot_upd, "
            "(SELECT indisvalid FROM pg_index WHERE indexrelid = 'person_targeting'::regclass) "
            "FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.relname = 'scoring_person'"
        )
        return cursor.fetchone()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's HOT updates")
@pytest.mark.django_db(transaction=True)
def test_a_live_run_rewrites_scores_beside_the_estimates_index_then_builds_it_again(imported):
    """The scores are rewritten as HOT updates, without the index; it is back and valid after
    the run, and every page all-visible, so that estimates count by an index-only scan."""
    *_, updated_before, hot_before, _ = person_table_state()

    run("--as-of", DAY.isoformat())

    pages, visible, updated, hot, valid = person_table_state()
    assert pages > 0
    assert visible == pages
    assert updated > updated_before
    assert hot - hot_before == updated - updated_before
    assert valid is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_live_run_gives_the_planner_figures_for_what_it_rewrote(imported):
    """The profile page's statement is planned by them, whether autovacuum runs or not."""
    run("--as-of", DAY.isoformat())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('scoring_persontopic', 'scoring_scoredetails', 'scoring_topic')"
        )
        counted = dict(cursor.fetchall())
    assert counted == {
        "scoring_persontopic": PersonTopic.objects.count(),
        "scoring_scoredetails": ScoreDetails.objects.count(),
        "scoring_topic": Topic.objects.count(),
    }


def test_details_made_a_few_people_at_a_time_are_everyones_at_once(imported, monkeypatch):
    from scoring import pipeline
    from scoring.pipeline import explanations

    extract = pipeline.extract_window(as_of=DAY, params=MODELS[LIVE])
    scores = compute(extract.signals, MODELS[LIVE])
    last = len(extract.handle_ids) - 1  # a handle of a later slice, discounted
    scores = replace(scores, handle_automation=np.where(np.arange(last + 1) == last, 0.5, 1.0))
    at_once = list(pipeline.details(scores, extract))
    monkeypatch.setattr(explanations, "SLICE_PEOPLE", 3)  # 13 people: slices of 3, 3, 3, 3, 1

    in_slices = list(pipeline.details(scores, extract))

    assert len(at_once) == extract.signals.people == 13
    assert in_slices == at_once
    owner = extract.signals.handle_person[last]
    assert owner >= 3
    assert in_slices[owner]["automated"] == [(int(extract.handle_ids[last]), 0.5)]
