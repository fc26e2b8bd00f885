"""The ten properties of the score (issue 4), on the NumPy engine, each world scored alone."""

import pytest
from hypothesis import given, settings

from scoring.engine.compute import compute
from scoring.engine.versions import MODELS
from tests.scoring.engine.properties import (
    CONSTRUCTED,
    EXPLORED,
    ON_THE_DEMO_WORLD,
    Explored,
    run_alone,
)


@pytest.fixture(scope="module", params=sorted(MODELS))
def params(request):
    """Every model version keeps every promise."""
    return MODELS[request.param]


@pytest.mark.parametrize("prop", CONSTRUCTED + ON_THE_DEMO_WORLD, ids=lambda p: p.__name__)
def test_property(params, prop):
    run_alone(prop(params), lambda signals, standing: compute(signals, params, standing))


@pytest.mark.parametrize("explored", EXPLORED, ids=lambda e: e.prop.__name__)
def test_explored_property(params, explored: Explored):
    @settings(max_examples=explored.examples, deadline=None)
    @given(explored.strategy)
    def holds(example):
        prop = explored.prop(params, *example)
        run_alone(prop, lambda signals, standing: compute(signals, params, standing))

    holds()
