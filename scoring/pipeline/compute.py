"""The compute step, one interface with implementations chosen by name: "numpy" (the engine,
scoring.engine.compute, on this machine) and "spark" (scoring.spark.compute, PySpark
DataFrames on a cluster). Each scores a window's Signals with a Params as the other does, and
"spark" is imported only when chosen, so that nothing else loads PySpark."""

from collections.abc import Callable

from django.conf import settings

from scoring.engine.compute import compute
from scoring.engine.model import Params, Scores, Signals, Standing

Compute = Callable[[Signals, Params, Standing | None], Scores]
ENGINES = ("numpy", "spark")


class EngineUnavailable(Exception):
    """The implementation named cannot be used here: no such name, or it cannot be imported."""


def compute_with(name: str | None = None) -> Compute:
    """The implementation called `name`, by default the one SCORING_ENGINE names."""
    name = settings.SCORING_ENGINE if name is None else name
    if name == "numpy":
        return compute
    if name == "spark":
        try:
            from scoring.spark.compute import compute as spark_compute
        except ImportError as error:
            raise EngineUnavailable(
                f"the spark compute step cannot be imported here ({error}): install pyspark "
                "and a Java runtime, or choose numpy"
            ) from error
        return spark_compute
    raise EngineUnavailable(f"no compute step is called {name!r}: {' or '.join(ENGINES)}")
