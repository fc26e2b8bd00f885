"""Issue 19's validity benchmark: does the score predict who moves people, on real data?

The MathOverflow interaction history (SNAP sx-mathoverflow, read from shared/data by path) is
imported as it is into a fresh database: answers as replies, comments as comments, one
`blog` handle a user; people acting on their own posts are dropped, since that is no
engagement. Then `backtest` runs the protocol of the data's README: eight cut days six months
apart, the truth the distinct people who engage with each person in the 30 days after the cut,
every model version against the naive counts. Models are tuned on the cuts up to 2014-07-01;
the last two are held out. The Markdown tables it prints go to docs/VALIDITY.md."""

import gzip
import json
import os
from pathlib import Path

from bench.support import PROJECT_DIR, fresh_database, machine, manage
from scoring.engine.versions import MODELS

DATA_DIR = Path(
    os.environ.get("BENCH_MATHOVERFLOW_DIR", PROJECT_DIR.parent / "shared/data/sx-mathoverflow")
)
FILES = {"a2q": "RE", "c2q": "CO", "c2a": "CO"}  # answers are replies, comments comments
CUTS = [f"{year}-{month}-01" for year in range(2012, 2016) for month in ("01", "07")]
TUNED_ON = CUTS[:6]  # up to 2014-07-01; 2015-01-01 and 2015-07-01 are held out
HORIZON_DAYS = 30


def snap_lines(target: Path) -> tuple[int, int]:
    """The three files as one SNAP activity list; how many lines were kept and dropped."""
    kept = dropped = 0
    with target.open("w") as out:
        for name, kind in FILES.items():
            with gzip.open(DATA_DIR / f"sx-mathoverflow-{name}.txt.gz", "rt") as lines:
                for line in lines:
                    actor, subject, seconds = line.split()
                    if actor == subject:
                        dropped += 1
                        continue
                    out.write(f"{actor} {subject} {seconds} {kind}\n")
                    kept += 1
    return kept, dropped


def markdown(report: dict, cuts: list[str]) -> str:
    """The mean of `cuts` for each predictor, as a Markdown table."""
    chosen = [cut for cut in report["cuts"] if cut["as_of"] in cuts]
    rows = ["| predictor | Spearman rho | top-1 % precision |", "| --- | ---: | ---: |"]
    for name in report["models"] + report["baselines"]:
        rho = sum(cut["fits"][name]["spearman"] for cut in chosen) / len(chosen)
        top = sum(cut["fits"][name]["top_precision"] for cut in chosen) / len(chosen)
        rows.append(f"| {name} | {rho:.3f} | {top:.3f} |")
    return "\n".join(rows)


def main() -> None:
    database_url = os.environ.get(
        "BENCH_VALIDITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sway_bench_validity"
    )
    print(machine())
    snap = PROJECT_DIR / "var" / "bench" / "sx-mathoverflow.snap"
    snap.parent.mkdir(parents=True, exist_ok=True)
    kept, dropped = snap_lines(snap)
    print(f"{kept:,} engagements kept, {dropped:,} on one's own posts dropped")
    fresh_database(database_url)
    print(manage(database_url, "import_signals", str(snap), "--format", "snap",
                 "--network", "blog").strip().splitlines()[-1])  # fmt: skip
    cuts = [argument for cut in CUTS for argument in ("--as-of", cut)]
    models = [argument for version in sorted(MODELS) for argument in ("--model", version)]
    output = manage(database_url, "backtest", *cuts, *models,
                    "--horizon", str(HORIZON_DAYS), "--report", "json")  # fmt: skip
    *table, last = output.strip().splitlines()
    print("\n".join(table))
    report = json.loads(last)
    for title, chosen in (
        ("All eight cuts", CUTS),
        ("Tuned on (2012-01-01 to 2014-07-01)", TUNED_ON),
        ("Held out (2015-01-01 and 2015-07-01)", CUTS[len(TUNED_ON) :]),
    ):
        print(f"\n{title}\n\n{markdown(report, chosen)}")


if __name__ == "__main__":
    main()
