"""`manage.py backtest` on a real excerpt of MathOverflow (tests/scoring/data/mathoverflow),
checked against the same figures found straight from the file."""

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from scipy import stats

from scoring.engine.compute import compute
from scoring.engine.model import Signals
from scoring.engine.validity import fit
from scoring.engine.versions import LIVE, MODELS
from scoring.models import Interaction, InteractionKind, Person, ScoreSnapshot

pytestmark = pytest.mark.django_db

EXCERPT = Path(__file__).parent / "data" / "mathoverflow" / "excerpt.snap"
CUT = datetime(2013, 1, 1, tzinfo=UTC).timestamp()
DAY = 86_400
KINDS = {"RE": InteractionKind.REPLY, "CO": InteractionKind.COMMENT}


@pytest.fixture
def excerpt(import_signals):
    import_signals(EXCERPT, format="snap", network="blog")
    return [line.split() for line in EXCERPT.read_text().splitlines()]


def run_backtest(capsys, *args):
    call_command("backtest", *args)
    *table, last = capsys.readouterr().out.strip().splitlines()
    return "\n".join(table), json.loads(last)


def engagers(lines, start, end):
    """User id → the set of users who engaged with them between start and end."""
    found = defaultdict(set)
    for actor, target, seconds, _ in lines:
        if start <= int(seconds) < end:
            found[target].add(actor)
    return found


def test_the_excerpt_imports_answers_as_replies_and_comments_as_comments(excerpt):
    counts = Counter(Interaction.objects.values_list("kind", flat=True))

    assert counts == Counter(KINDS[kind] for *_, kind in excerpt)


def test_backtest_ranks_as_the_file_says_and_writes_nothing(excerpt, capsys):
    table, report = run_backtest(
        capsys, "--as-of", "2013-01-01", "--horizon", "30",
        "--model", "v1", "--model", "v2", "--report", "json",
    )  # fmt: skip

    before = engagers(excerpt, CUT - 90 * DAY, CUT)
    after = engagers(excerpt, CUT, CUT + 30 * DAY)
    candidates = sorted(before)
    truth = np.array([len(after[user]) for user in candidates], dtype=float)
    distinct = np.array([len(before[user]) for user in candidates], dtype=float)
    counts = Counter(t for _, t, s, _ in excerpt if CUT - 90 * DAY <= int(s) < CUT)
    engagement = np.array([counts[user] for user in candidates], dtype=float)
    (cut,) = report["cuts"]
    assert (cut["as_of"], cut["candidates"]) == ("2013-01-01", len(candidates))
    for name, prediction in (("distinct_engagers", distinct), ("engagement_count", engagement)):
        expected = fit(prediction, truth)
        assert cut["fits"][name]["spearman"] == round(stats.spearmanr(prediction, truth)[0], 4)
        assert cut["fits"][name]["top_precision"] == round(expected.top_precision, 4)
    for version in ("v1", "v2"):
        scores = scores_from_file(excerpt, version)
        expected = fit(np.array([scores[user] for user in candidates]), truth)
        assert cut["fits"][version] == expected.as_dict()
    assert report["mean"] == cut["fits"]
    assert set(report["mean"]) == {"v1", "v2", "distinct_engagers", "engagement_count", "pagerank"}
    assert "v2" in table
    assert f"2013-01-01 {len(candidates):,}" in table
    assert ScoreSnapshot.objects.count() == 0
    assert not Person.objects.exclude(score=None).exists()


def scores_from_file(lines, version):
    """Each user's score as of the cut, scored by the engine from the file's own lines."""
    window = [
        (a, t, KINDS[k], (CUT - int(s)) / DAY)
        for a, t, s, k in lines
        if CUT - 90 * DAY <= int(s) < CUT
    ]
    users = sorted({user for a, t, *_ in lines for user in (a, t)})
    number = {user: i for i, user in enumerate(users)}
    signals = Signals(
        handle_person=np.arange(len(users)),
        handle_network=np.zeros(len(users), dtype=np.int64),
        handle_hidden=np.zeros(len(users), dtype=bool),
        actor=np.array([number[a] for a, *_ in window]),
        target=np.array([number[t] for _, t, *_ in window]),
        kind=np.array([k for *_, k, _ in window], dtype=np.int64),
        age_days=np.array([age for *_, age in window]),
        post=np.full(len(window), -1),
        people=len(users),
        networks=1,
    )
    score = compute(signals, MODELS[version]).score
    return {user: score[number[user]] for user in users}


def test_backtest_of_several_cuts_averages_them(excerpt, capsys):
    _, report = run_backtest(
        capsys, "--as-of", "2013-01-01", "--as-of", "2012-12-01", "--report", "json"
    )

    assert [cut["as_of"] for cut in report["cuts"]] == ["2012-12-01", "2013-01-01"]
    assert report["models"] == [LIVE]
    first, second = (cut["fits"]["pagerank"]["spearman"] for cut in report["cuts"])
    assert report["mean"]["pagerank"]["spearman"] == pytest.approx((first + second) / 2, abs=1e-4)


def test_a_cut_with_nobody_to_rank_reports_zeros(db, capsys):
    _, report = run_backtest(capsys, "--as-of", "2020-01-01", "--report", "json")

    assert report["cuts"][0]["candidates"] == 0
    assert report["mean"][LIVE] == {"spearman": 0.0, "top_precision": 0.0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2013-13-01"], "'2013-13-01' is not a day"),
        (["--as-of", "2013-01-01\x00"], "is not a day"),
        (["--as-of", "2013-01-01", "--horizon", "0"], "the horizon must be from 1 to 366 days"),
        (["--as-of", "2013-01-01", "--horizon", "99999999999999999999"], "the horizon must be"),
        (["--as-of", "9999-12-30"], "runs off the calendar"),
        (["--as-of", "0001-01-01"], "runs off the calendar"),
        (["--as-of", "2013-01-01", "--model", "v9"], "invalid choice: 'v9'"),
        ([], "the following arguments are required: --as-of"),
    ],
)
def test_backtest_refuses_bad_arguments_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("backtest", *args)
