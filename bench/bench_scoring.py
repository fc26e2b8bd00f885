"""Issue 4's engine benchmark: 1,000,000 people and 10,000,000 interactions scored by the
engine (time and peak memory, each run in a process of its own), and the engine's network
component timed against networkx's and igraph's PageRank on the same graph."""

import json
import statistics
import subprocess
import sys
import time

import numpy as np

from bench.support import PROJECT_DIR, machine

PEOPLE = 1_000_000
INTERACTIONS = 10_000_000
RUNS = 3


def synthetic_signals(people: int = PEOPLE, interactions: int = INTERACTIONS, seed: int = 5):
    """A heavy-tailed world: 30 % of people on a second network, uniform engagers, Zipf
    targets, seven in ten engagements on one of the target's three latest posts."""
    from scoring.engine.model import Signals

    rng = np.random.default_rng(seed)
    second = np.flatnonzero(rng.random(people) < 0.3)
    handle_person = np.concatenate([np.arange(people), second])
    handles = len(handle_person)
    target = (np.minimum(rng.zipf(1.7, interactions), handles) - 1) * 7919 % handles
    on_post = rng.random(interactions) < 0.7
    return Signals(
        handle_person=handle_person.astype(np.int64),
        handle_network=np.concatenate([np.zeros(people), np.ones(len(second))]).astype(np.int64),
        handle_hidden=rng.random(handles) < 0.03,
        actor=rng.integers(0, handles, interactions),
        target=target.astype(np.int64),
        kind=rng.integers(1, 6, interactions),
        age_days=rng.random(interactions) * 90.0,
        post=np.where(on_post, target * 3 + rng.integers(0, 3, interactions), -1),
        people=people,
        networks=2,
    )


def engine_once() -> dict[str, float]:
    """One engine run in this process: seconds and the process's peak memory."""
    import resource

    from scoring.engine.compute import compute
    from scoring.engine.versions import LIVE, MODELS

    signals = synthetic_signals()
    started = time.perf_counter()
    scores = compute(signals, MODELS[LIVE])
    seconds = time.perf_counter() - started
    engaged = scores.score[scores.reach > 0]
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "median": float(np.median(engaged)),
        "p95": float(np.percentile(engaged, 95)),
    }


def network_comparison() -> dict[str, float]:
    """Seconds for the engine's influence iteration, networkx.pagerank (tolerance 1e-10) and
    igraph's PageRank (PRPACK), on the same weighted person graph."""
    import igraph
    import networkx as nx
    from scipy import sparse

    from scoring.engine.compute import _influence, saturated_pairs, signal_weights
    from scoring.engine.versions import LIVE, MODELS

    params = MODELS[LIVE]
    signals = synthetic_signals()
    handles = len(signals.handle_person)
    pairs = saturated_pairs(signals, signal_weights(signals, params), params)
    to_person = sparse.csr_matrix(
        (np.ones(handles), (np.arange(handles), signals.handle_person)),
        shape=(handles, signals.people),
    )
    graph = (to_person.T @ pairs @ to_person).tocoo()

    started = time.perf_counter()
    _influence(graph.tocsr(), params)
    ours = time.perf_counter() - started

    weights = graph.data.tolist()
    edges = list(zip(graph.row.tolist(), graph.col.tolist(), strict=True))
    g = igraph.Graph(n=signals.people, edges=edges, directed=True)
    started = time.perf_counter()
    g.pagerank(weights=weights, damping=0.85)
    with_igraph = time.perf_counter() - started

    nxg = nx.DiGraph()
    nxg.add_nodes_from(range(signals.people))
    nxg.add_weighted_edges_from(zip(graph.row.tolist(), graph.col.tolist(), weights, strict=True))
    started = time.perf_counter()
    nx.pagerank(nxg, alpha=0.85, tol=1e-10, max_iter=1000, weight="weight")
    with_networkx = time.perf_counter() - started
    return {
        "edges": len(weights),
        "ours": round(ours, 2),
        "igraph": round(with_igraph, 2),
        "networkx": round(with_networkx, 2),
    }


def _in_subprocess(function: str) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, bench.bench_scoring as b; print(json.dumps(b.{function}()))",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print(machine())
    runs = [_in_subprocess("engine_once") for _ in range(RUNS)]
    print(f"engine, {PEOPLE:,} people, {INTERACTIONS:,} interactions: {runs}")
    print(
        f"median {statistics.median(r['seconds'] for r in runs)} s, "
        f"peak {max(r['peak_rss_mb'] for r in runs)} MB"
    )
    comparisons = [_in_subprocess("network_comparison") for _ in range(RUNS)]
    print(f"network component vs PageRank: {comparisons}")
    ours = statistics.median(c["ours"] for c in comparisons)
    for name in ("igraph", "networkx"):
        other = statistics.median(c[name] for c in comparisons)
        print(f"median: ours {ours} s, {name} {other} s, ours / {name} = {ours / other:.2f}")


if __name__ == "__main__":
    main()
