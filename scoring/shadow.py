"""How scores would move if a shadow model went live: compared with the live model's
snapshots of the same day."""

from datetime import date
from typing import Any

import numpy as np
from scipy import stats

from scoring.engine.model import Scores
from scoring.engine.versions import LIVE
from scoring.models import ScoreSnapshot
from scoring.pipeline import Extract

MOVE = 5.0  # points


def compare_with_live(day: date, shadow: Scores, extract: Extract) -> dict[str, Any]:
    live = dict(
        ScoreSnapshot.objects.filter(day=day, model_version=LIVE).values_list("person_id", "score")
    )
    if not live:
        return {"live_model": LIVE, "compared": 0, "note": f"no {LIVE} snapshots on {day}"}
    ids = extract.person_ids
    present = np.array([pk in live for pk in ids.tolist()], dtype=bool)
    before = np.array([live[pk] for pk in ids[present].tolist()], dtype=np.float64)
    after = shadow.score[present]
    delta = after - before
    order = np.argsort(-np.abs(delta), kind="stable")[:10]
    correlation = stats.spearmanr(before, after).statistic if len(before) > 1 else 1.0
    return {
        "live_model": LIVE,
        "compared": int(present.sum()),
        "rank_correlation": round(float(np.nan_to_num(correlation, nan=1.0)), 4),
        "moved_more_than_5": int((np.abs(delta) > MOVE).sum()),
        "median_live": round(float(np.median(before)), 2),
        "median_shadow": round(float(np.median(after)), 2),
        "largest_moves": [
            {"person": int(ids[present][i]), "live": float(before[i]), "shadow": float(after[i])}
            for i in order
        ],
    }
