"""The daily scoring run in three steps, extract → compute → load, with the explanations and
the index upkeep beside them: `run` scores a day, `backfill` past days' snapshots."""

from scoring.pipeline.compute import ENGINES, Compute, EngineUnavailable, compute_with
from scoring.pipeline.daily import RunSummary, backfill, run, scored_days, window_only
from scoring.pipeline.explanations import details
from scoring.pipeline.extract import (
    NETWORKS,
    Arrays,
    Extract,
    assemble,
    extract_window,
    handle_arrays,
    interaction_arrays,
    interactions_between,
    scored_handles,
    window,
    window_write,
)
from scoring.pipeline.indexes import refresh_statistics, targeting_index_set_aside

__all__ = [
    "ENGINES",
    "NETWORKS",
    "Arrays",
    "Compute",
    "EngineUnavailable",
    "Extract",
    "RunSummary",
    "assemble",
    "backfill",
    "compute_with",
    "details",
    "extract_window",
    "handle_arrays",
    "interaction_arrays",
    "interactions_between",
    "refresh_statistics",
    "run",
    "scored_days",
    "scored_handles",
    "targeting_index_set_aside",
    "window",
    "window_only",
    "window_write",
]
