"""The ten properties of the score (issue 4) on Spark in local mode: each round, every
property's worlds side by side in one Spark run (tests/scoring/engine/side_by_side.py), whose
answers are also the engine's on the same run (issue 25)."""

from dataclasses import dataclass, field

import pytest

from scoring.engine.compute import compute as engine_compute
from scoring.engine.model import Scores
from scoring.engine.versions import LIVE, MODELS
from scoring.spark.compute import compute as spark_compute
from tests.scoring.engine.properties import (
    CONSTRUCTED,
    EXPLORED,
    ON_THE_DEMO_WORLD,
    Explored,
    Job,
    Property,
    as_pair,
    run_alone,
    the_same_inputs_give_the_same_outputs_and_name_their_model,
)
from tests.scoring.engine.side_by_side import cut, side_by_side
from tests.scoring.spark.sameness import assert_same_scores

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]  # one JVM, each world once
# Run twice alone: side by side, its two copies would sit in other partitions and add the same
# numbers in another order (1e-16 apart), which is not the same input twice.
DETERMINISTIC = the_same_inputs_give_the_same_outputs_and_name_their_model
SIDE_BY_SIDE = [prop for prop in CONSTRUCTED if prop is not DETERMINISTIC]
# The live version, the one that scores people (the NumPy tests take every version): each
# version more costs CI a minute of Spark.
VERSIONS = [LIVE]


Asked = tuple[Property, list[Job]]  # a property, and the worlds it waits to have scored


@dataclass
class Outcomes:
    """What became of each property, and of each run's comparison with the engine."""

    failed: dict[str, BaseException] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    runs: list[tuple[int, int, AssertionError | None]] = field(default_factory=list)


@pytest.fixture(scope="module", params=VERSIONS)
def outcomes(request) -> Outcomes:
    params = MODELS[request.param]
    props = {prop.__name__: prop(params) for prop in SIDE_BY_SIDE + ON_THE_DEMO_WORLD}
    for explored in EXPLORED:
        name = explored.prop.__name__
        for number, example in enumerate(explored.seeded(explored.examples)):
            props[f"{name} #{number}: {example}"] = explored.prop(params, *example)
    outcomes, waiting = Outcomes(), dict[str, Asked]()
    for name, prop in props.items():
        _advance(outcomes, waiting, name, prop, None)
    while waiting:
        asked, waiting = waiting, dict[str, Asked]()
        for given in (False, True):
            names = [name for name, (_, jobs) in asked.items() if _given(jobs) == given]
            jobs = [as_pair(job) for name in names for job in asked[name][1]]
            if not jobs:
                continue
            standings = [g for _, g in jobs if g is not None]
            signals, standing, places = side_by_side([s for s, _ in jobs], standings or None)
            scores = spark_compute(signals, params, standing)
            expected = engine_compute(signals, params, standing)
            outcomes.runs.append((signals.people, len(signals.actor), _differing(expected, scores)))
            answers = iter(cut(scores, place) for place in places)
            for name in names:
                prop, wanted = asked[name]
                _advance(outcomes, waiting, name, prop, [next(answers) for _ in wanted])
    return outcomes


@pytest.mark.parametrize("prop", SIDE_BY_SIDE + ON_THE_DEMO_WORLD, ids=lambda p: p.__name__)
def test_property(outcomes, prop):
    if prop.__name__ in outcomes.failed:
        raise outcomes.failed[prop.__name__]
    assert prop.__name__ in outcomes.finished


@pytest.mark.parametrize("explored", EXPLORED, ids=lambda e: e.prop.__name__)
def test_explored_property(outcomes, explored: Explored):
    name = explored.prop.__name__
    failed = {n: repr(e) for n, e in outcomes.failed.items() if n.startswith(f"{name} #")}
    assert failed == {}
    assert sum(n.startswith(f"{name} #") for n in outcomes.finished) == explored.examples


def test_the_same_run_twice_gives_the_same_outputs():
    params = MODELS[LIVE]
    run_alone(DETERMINISTIC(params), lambda signals, standing: spark_compute(signals, params))


def test_every_run_gives_the_engines_answers(outcomes):
    assert outcomes.runs
    for people, interactions, differing in outcomes.runs:
        assert differing is None, f"{people:,} people, {interactions:,} interactions: {differing}"


def _advance(
    outcomes: Outcomes,
    waiting: dict[str, Asked],
    name: str,
    prop: Property,
    answer: list[Scores] | None,
) -> None:
    try:
        waiting[name] = (prop, next(prop) if answer is None else prop.send(answer))
    except StopIteration:
        outcomes.finished.add(name)
    except Exception as error:  # an assertion, or a property that broke: its test reports it
        outcomes.failed[name] = error


def _given(jobs: list[Job]) -> bool:
    return any(isinstance(job, tuple) for job in jobs)


def _differing(expected, actual) -> AssertionError | None:
    try:
        assert_same_scores(expected, actual)
    except AssertionError as error:
        return error
    return None
