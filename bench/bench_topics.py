"""Issue 6's matcher benchmark: 10,000,000 post texts matched against the whole Klout topic
ontology (8,033 topics, the copy shipped in scoring/data), one matcher process per core.

Each process makes its share of posts first (short sentences of common words; half name a
topic, three in ten end with a topic's hashtag, one in twenty has accents), then all start
matching together; the figure is the wall time from the first start to the last finish."""

import csv
import multiprocessing
import os
import random
import statistics
import time
from typing import Any

from bench.support import PROJECT_DIR, machine

POSTS = 10_000_000
RUNS = 3
ONTOLOGY = PROJECT_DIR / "scoring" / "data" / "klout-topics" / "klout_topic_ontology_20180601.csv"
COMMON_WORDS = (
    "the of and to in is it that for on with as was at by be this have from or one had not "
    "but what all were when we there can an your which their said if do will each about "
    "how up out them then she many some so these would other into has more her two like "
    "him see time could no make than first been its who now people my made over did down "
    "only way find use may water long little very after words called just where most know "
    "get through back much go good new write our me man too any day same right look think "
    "also around another came come work three word must because does part even place well "
    "such here take why help put different away again off went old number great tell men "
    "say small every found still between name should home big give air line set own under "
    "read last never us left end along while might next sound below saw something thought "
    "both few those always looked show large often together asked house world going want "
    "school important until form food keep children feet land side without boy once animal "
    "life enough took sometimes four head above kind began almost live page got earth need "
    "far hand high year mother light country father let night picture being study second "
    "soon story since white days ever paper hard near better best across during today "
    "others"
)
FILLER = COMMON_WORDS.split()


def topic_names() -> list[str]:
    with ONTOLOGY.open(encoding="utf-8") as file:
        return [row["topicDisplayName"] for row in csv.DictReader(file)]


def make_posts(count: int, seed: int, names: list[str]) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (made-up posts)
    posts = []
    for _ in range(count):
        words = rng.choices(FILLER, k=rng.randint(10, 22))
        draw = rng.random()
        if draw < 0.5:
            words.insert(rng.randrange(len(words)), rng.choice(names))
        if draw > 0.7:
            words.append("#" + rng.choice(names).title().replace(" ", ""))
        if draw < 0.05:
            words.append("café à Zürich")
        posts.append(" ".join(words))
    return posts


def _match_share(args: tuple[int, int, Any]) -> dict[str, float]:
    count, seed, start_together = args
    from scoring.topic_matching import TopicMatcher

    names = topic_names()
    matcher = TopicMatcher(enumerate((name,) for name in names))
    posts = make_posts(count, seed, names)
    start_together.wait()
    started = time.time()
    found = sum(len(matcher.match(text)) for text in posts)
    return {"started": started, "finished": time.time(), "posts": count, "found": found}


def run_once(posts: int, processes: int) -> dict[str, float]:
    context = multiprocessing.get_context("fork")
    barrier = context.Manager().Barrier(processes)
    shares = [(posts // processes, seed, barrier) for seed in range(processes)]
    with context.Pool(processes) as pool:
        results = pool.map(_match_share, shares)
    seconds = max(r["finished"] for r in results) - min(r["started"] for r in results)
    found = sum(r["found"] for r in results)
    return {"seconds": round(seconds, 2), "posts_per_second": round(posts / seconds),
            "topics_per_post": round(found / posts, 2)}  # fmt: skip


def main() -> None:
    print(machine())
    cores = os.cpu_count() or 1
    print(f"{len(topic_names()):,} topics; {POSTS:,} posts on {cores} processes")
    runs = [run_once(POSTS, cores) for _ in range(RUNS)]
    print(f"runs: {runs}")
    print(f"median {statistics.median(r['seconds'] for r in runs)} s for {POSTS:,} posts")
    single = run_once(POSTS // 10, 1)
    print(f"one process, {POSTS // 10:,} posts: {single}")


if __name__ == "__main__":
    main()
