"""The database side of bench_campaigns, run in a process of its own with DATABASE_URL set:
`python -m bench.campaigns_world <command> [json]` prints one JSON line.

The world (made once, then reused): 1,000,000 people written by COPY, with scores drawn to
match the distribution of the scored 1M demo world (bench_pipeline's run: 574,325 people with
engagement, median 23.14, 95th percentile 64.21, 99th 77.8, maximum 94.54; everyone else 1.0),
countries and places, score details of the pipeline's shape, up to ten topics each, and
120,000 of them claimed by users (100,000 of those scoring 20 or more)."""

import json
import os
import sys
import time
from datetime import timedelta
from typing import Any

import django
import numpy as np

PEOPLE = 1_000_000
ENGAGED = 574_325
OWNERS_IN = 100_000  # owners scoring ≥ NOTIFY_MIN_SCORE: exactly the notification target
OWNERS_OUT = 20_000  # owners scoring below it
NOTIFY_MIN_SCORE = 20
SEED = 7
MARKER = "bench-campaigns-world-v2"  # the manager's e-mail: the world is complete
MANAGER_EMAIL = f"{MARKER}@example.com"
BRAND_SLUG = "bench-brand"
TARGET_TOPICS = ("sustainability", "electric-vehicles", "climate-change")
# The score's quantile function, interpolated between these points (u → score) for the people
# with engagement: the 50th, 95th and 99th percentiles and the maximum are bench_pipeline's.
QUANTILES = ([0.0, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0], [1.01, 11.0, 23.14, 40.0, 64.21, 77.8, 94.54])
# Share of people by country ("" unknown), and a few places written as people write them.
COUNTRIES = {
    "US": 0.28, "GB": 0.07, "IN": 0.06, "BR": 0.05, "CA": 0.04, "DE": 0.04, "FR": 0.04,
    "JP": 0.03, "ES": 0.03, "IT": 0.03, "MX": 0.03, "AU": 0.025, "NL": 0.02, "ID": 0.02,
    "PH": 0.02, "TR": 0.02, "AR": 0.015, "PL": 0.015, "SE": 0.01, "ZA": 0.01, "NG": 0.01,
    "KR": 0.01, "IE": 0.01, "BE": 0.01, "CH": 0.01,
}  # fmt: skip
PLACES = {
    "US": ["New York", "Los Angeles", "Chicago", "Austin", "Seattle"],
    "GB": ["London", "Manchester", "Edinburgh"],
    "CA": ["Toronto", "Montreal", "Vancouver"],
    "FR": ["Paris", "Lyon", "Marseille"],
    "DE": ["Berlin", "Munich", "Hamburg"],
}


def setup() -> None:
    """Django, on a database migrated to the code as it is now (others change the models
    while a bench runs: a helper started later must not meet a missing column)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", "--no-input", verbosity=0)


# --- the world -----------------------------------------------------------------------------


def status(_: dict[str, Any]) -> dict[str, Any]:
    from marketplace.models import User
    from scoring.models import Person

    return {
        "ready": User.objects.filter(email=MANAGER_EMAIL).exists(),
        "people": Person.objects.count(),
    }


def build(_: dict[str, Any]) -> dict[str, Any]:
    """Fill the (fresh, migrated) database with the world. Returns its counts and times."""
    from django.db import connection

    from scoring.ingest.klout_topics import SHIPPED_ONTOLOGY, import_klout_ontology

    started = time.monotonic()
    starter = _public_topic_ids()
    ontology = import_klout_ontology(SHIPPED_ONTOLOGY)  # brands target among 8,000+ topics
    topics = (starter, np.setdiff1d(_public_topic_ids(), starter))
    rng = np.random.default_rng(SEED)
    people: dict[str, Any] = {**_people(rng)}
    people["topics"] = _person_topics(rng, people, topics)
    with connection.cursor() as cursor:
        _copy_users(cursor)
        _copy_people(cursor, rng, people)
        person_topics = _copy_person_topics(cursor, people)
        hidden = _copy_hidden(cursor, rng, person_topics)
        for table in ("marketplace_user", "scoring_person"):  # ids were given: move on
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
    loaded = time.monotonic() - started
    _brand()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) scoring_person, scoring_scoredetails, scoring_persontopic, "
            "marketplace_user"
        )
        cursor.execute("VACUUM (ANALYZE) scoring_hiddentopic, scoring_topic")
        cursor.execute("SELECT pg_total_relation_size('scoring_person')")
        size = cursor.fetchone()[0]
    return {
        "people": PEOPLE,
        "topics": ontology.describe(),
        "person_topics": person_topics["count"],
        "hidden_topics": hidden,
        "users": OWNERS_IN + OWNERS_OUT + 1,
        "person_table_mb": round(size / 2**20),
        "copy_seconds": round(loaded, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def _public_topic_ids() -> np.ndarray:
    from scoring.models import Topic, topic_is_public

    ids = Topic.objects.filter(topic_is_public()).values_list("pk", flat=True)
    return np.array(sorted(ids), dtype=np.int64)


def _people(rng: np.random.Generator) -> dict[str, np.ndarray]:
    engaged = np.zeros(PEOPLE, dtype=bool)
    engaged[rng.choice(PEOPLE, ENGAGED, replace=False)] = True
    score = np.ones(PEOPLE)
    score[engaged] = np.round(np.interp(rng.random(ENGAGED), *QUANTILES), 2)
    opted_out = rng.random(PEOPLE) < 0.005
    codes = np.array([*COUNTRIES, ""])
    weights = np.array([*COUNTRIES.values(), 1 - sum(COUNTRIES.values())])
    country = codes[rng.choice(len(codes), PEOPLE, p=weights)]
    owner = np.zeros(PEOPLE, dtype=np.int64)  # 0: nobody's
    high = np.flatnonzero((score >= NOTIFY_MIN_SCORE) & ~opted_out)
    low = np.flatnonzero(score < NOTIFY_MIN_SCORE)
    owner[rng.choice(high, OWNERS_IN, replace=False)] = np.arange(1, OWNERS_IN + 1)
    owner[rng.choice(low, OWNERS_OUT, replace=False)] = np.arange(
        OWNERS_IN + 1, OWNERS_IN + OWNERS_OUT + 1
    )
    order = np.argsort(-score, kind="stable")
    percentile = np.empty(PEOPLE)
    percentile[order] = np.round(100 - 100 * np.arange(PEOPLE) / PEOPLE, 2)
    return {
        "engaged": engaged,
        "score": score,
        "opted_out": opted_out,
        "country": country,
        "owner": owner,
        "percentile": percentile,
    }


def _copy_users(cursor: Any) -> None:
    now = "2026-11-01 00:00:00+00"
    columns = (
        "id, password, is_superuser, first_name, last_name, is_staff, is_active, date_joined, "
        "email, email_perk_offers, email_weekly_summary"
    )
    with cursor.cursor.copy(f"COPY marketplace_user ({columns}) FROM STDIN") as copy:
        for pk in range(1, OWNERS_IN + OWNERS_OUT + 1):
            # An unusable password (as make_password(None)), perk offers e-mailed to everyone.
            copy.write_row(
                (pk, f"!bench{pk:040d}"[:41], False, "", "", False, True, now,
                 f"bench{pk}@example.com", True, True)
            )  # fmt: skip


def _details(rng: np.random.Generator, engaged: bool, score: float, topics: list[list]) -> str:
    """Score details of the pipeline's shape: ranked lists of five (id, weight) pairs."""
    import orjson

    from scoring.models import SCORE_PARTS

    if not engaged:
        return orjson.dumps(
            {"model": "v3", "reach": 0.0, "amplification": 0.0, "network": 0.0, "raw": 0.0,
             "percentiles": dict.fromkeys(SCORE_PARTS, 0.0), "networks": {}, "contributors": [],
             "influencers": [], "influencees": [], "posts": [], "topics": [], "influence": 0.0,
             "automated": [], "reasons": []}
        ).decode()  # fmt: skip
    ids = rng.integers(1, PEOPLE, 20).tolist()
    weights = np.round(rng.random(20) * score, 3).tolist()
    pairs = [list(p) for p in zip(ids, weights, strict=True)]
    return orjson.dumps(
        {"model": "v3", "reach": round(score * 0.8, 3), "amplification": round(score * 0.3, 3),
         "network": round(score * 0.5, 3), "raw": round(score / 97, 4),
         "percentiles": dict.fromkeys(SCORE_PARTS, round(score * 0.99, 2)),
         "networks": {"twitter": round(score / 100, 4)}, "contributors": pairs[0:5],
         "influencers": pairs[5:10], "influencees": pairs[10:15],
         "posts": [[i * 3, w] for i, w in pairs[15:20]], "topics": topics,
         "influence": round(score / 1e5, 6), "automated": [], "reasons": []}
    ).decode()  # fmt: skip


def _person_topics(
    rng: np.random.Generator, people: dict, topics: tuple[np.ndarray, np.ndarray]
) -> dict:
    """Up to ten topics for each person with engagement, popular topics more often (Zipf):
    the starter taxonomy's broad topics first, then the ontology's long tail."""
    engaged = np.flatnonzero(people["engaged"])
    counts = np.minimum(rng.poisson(1.8, len(engaged)), 10)
    # Which broad topic, and which of the tail, is popular: arbitrary but fixed.
    shuffled = np.concatenate([rng.permutation(part) for part in topics])
    popularity = 1.0 / np.arange(1, len(shuffled) + 1) ** 0.9
    popularity /= popularity.sum()
    owners = np.repeat(engaged, counts)
    picks = shuffled[rng.choice(len(shuffled), len(owners), p=popularity)]
    pairs = np.unique(np.stack([owners, picks], axis=1), axis=0)  # a topic once a person
    person, topic = pairs[:, 0], pairs[:, 1]
    base = people["score"][person]
    score = np.round(np.clip(base * rng.uniform(0.6, 1.4, len(person)), 1, 99.9), 2)
    return {"person": person, "topic": topic, "score": score, "count": len(person)}


def _copy_people(cursor: Any, rng: np.random.Generator, people: dict) -> None:
    columns = (
        "id, created_at, updated_at, public_id, opted_out, display_name, place, country, "
        "owner_id, percentile, score, score_day, score_model"
    )
    details = []
    topics_of: dict[int, list[list]] = {}
    pt = people["topics"]
    for p, t, s in zip(pt["person"].tolist(), pt["topic"].tolist(), pt["score"].tolist(),
                       strict=True):  # fmt: skip
        topics_of.setdefault(p, []).append([t, s])
    has_place = rng.random(PEOPLE) < 0.4
    city_pick = rng.integers(0, 5, PEOPLE)
    now = "2026-11-22 00:15:00+00"
    alphabet = np.array(list("abcdefghijkmnpqrstuvwxyz23456789"))
    with cursor.cursor.copy(f"COPY scoring_person ({columns}) FROM STDIN") as copy:
        for i, (engaged, score, opted, country, owner, pct) in enumerate(
            zip(people["engaged"].tolist(), people["score"].tolist(),
                people["opted_out"].tolist(), people["country"].tolist(),
                people["owner"].tolist(), people["percentile"].tolist(), strict=True)
        ):  # fmt: skip
            pk = i + 1
            public_id = "".join(alphabet[[(pk >> (5 * k)) & 31 for k in range(10)]])
            cities = PLACES.get(country)
            place = cities[city_pick[i] % len(cities)] if cities and has_place[i] else ""
            copy.write_row(
                (pk, now, now, public_id, opted, f"Person {pk}", place, country,
                 owner or None, pct, score, "2026-11-22", "v3")
            )  # fmt: skip
            details.append((pk, _details(rng, engaged, score, topics_of.get(i, []))))
    with cursor.cursor.copy("COPY scoring_scoredetails (person_id, data) FROM STDIN") as copy:
        for row in details:
            copy.write_row(row)


def _copy_person_topics(cursor: Any, people: dict) -> dict:
    pt = people["topics"]
    with cursor.cursor.copy(
        "COPY scoring_persontopic (person_id, topic_id, score) FROM STDIN"
    ) as copy:
        for p, t, s in zip((pt["person"] + 1).tolist(), pt["topic"].tolist(),
                           pt["score"].tolist(), strict=True):  # fmt: skip
            copy.write_row((p, t, s))
    return pt


def _copy_hidden(cursor: Any, rng: np.random.Generator, pt: dict) -> int:
    """One person-topic in a hundred hidden by its person."""
    chosen = np.flatnonzero(rng.random(pt["count"]) < 0.01)
    with cursor.cursor.copy(
        "COPY scoring_hiddentopic (person_id, topic_id, hidden_at) FROM STDIN"
    ) as copy:
        for p, t in zip((pt["person"][chosen] + 1).tolist(), pt["topic"][chosen].tolist(),
                        strict=True):  # fmt: skip
            copy.write_row((p, t, "2026-11-01 00:00:00+00"))
    return len(chosen)


def _brand() -> None:
    from campaigns.models import Brand, Membership, Role
    from marketplace.models import User

    manager = User.objects.create_user(MANAGER_EMAIL, None)
    brand = Brand.objects.create(name="Bench brand", slug=BRAND_SLUG)
    Membership.objects.create(brand=brand, user=manager, role=Role.MANAGER)


# --- sessions ------------------------------------------------------------------------------


def sessions(args: dict[str, Any]) -> dict[str, Any]:
    """Signed-in sessions for the brand's manager and the first `claimants` owners of a
    person scoring 20 or more, made as the login would (SessionStore)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from marketplace.models import User

    users = [User.objects.get(email=MANAGER_EMAIL)]
    users += list(User.objects.filter(pk__lte=args["claimants"]).order_by("pk"))
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return {"manager": keys[0], "claimants": keys[1:]}


# --- (a) claims ----------------------------------------------------------------------------


def _campaign(title: str, quantity: int, perk_type: str) -> Any:
    from django.utils import timezone

    from campaigns.models import Brand, Campaign, CampaignStatus

    now = timezone.now()
    return Campaign.objects.create(
        brand=Brand.objects.get(slug=BRAND_SLUG),
        title=title,
        description="A bench campaign.",
        perk_type=perk_type,
        quantity=quantity,
        min_score=NOTIFY_MIN_SCORE,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=7),
        status=CampaignStatus.ACTIVE,  # straight to active: no refresh for the claim bench
    )


def claim_setup(args: dict[str, Any]) -> dict[str, Any]:
    """A live 100-unit perk handing out codes from a pool of as many."""
    from campaigns.models import Code, PerkType

    campaign = _campaign(f"Claim bench {args['run']}", args["quantity"], PerkType.CODE)
    Code.objects.bulk_create(
        Code(campaign=campaign, code=f"BENCH-{campaign.pk}-{n:04d}")
        for n in range(args["quantity"])
    )
    return {"campaign": campaign.pk}


def claim_check(args: dict[str, Any]) -> dict[str, Any]:
    """What the database holds after the burst."""
    from django.db.models import Count

    from campaigns.models import Campaign, Claim, Code

    campaign = Campaign.objects.get(pk=args["campaign"])
    claims = Claim.objects.filter(campaign=campaign)
    codes = Code.objects.filter(campaign=campaign, claim__isnull=False)
    return {
        "taken": campaign.taken,
        "claims": claims.count(),
        "by_status": dict(claims.values_list("status").annotate(n=Count("pk"))),
        "people": claims.values("person").distinct().count(),
        "codes_given": codes.count(),
        "distinct_codes": codes.values("code").distinct().count(),
    }


def cleanup(_: dict[str, Any]) -> dict[str, Any]:
    """Remove every campaign with all that hangs on it (claims, codes, eligibility, …) and
    every notification: in this database, all of them are the bench's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM campaigns_campaign")
        campaigns = cursor.fetchone()[0]
        cursor.execute("TRUNCATE campaigns_campaign, marketplace_notification CASCADE")
    return {"campaigns": campaigns}


# --- (b) notifications ---------------------------------------------------------------------


def notify(args: dict[str, Any]) -> dict[str, Any]:
    """One refresh of a new live campaign whose target holds 100,000 people with accounts,
    every one of them wanting perk offers by e-mail: Eligibility and Notification rows written
    in one transaction, the e-mail tasks queued on commit (to the broker in CELERY_BROKER_URL
    when set, else run in-process). Times the whole call and the queueing inside it."""
    from campaigns.eligibility import eligibility_refresh
    from campaigns.models import Eligibility, PerkType
    from marketplace import tasks
    from marketplace.models import Notification, NotificationKind

    campaign = _campaign(f"Notify bench {args['run']}", 100, PerkType.PRODUCT)
    queued = {"tasks": 0, "seconds": 0.0}
    delay = tasks.deliver_notifications_task.delay

    def timed_delay(*a: Any, **k: Any) -> Any:
        began = time.perf_counter()
        result = delay(*a, **k)
        queued["seconds"] += time.perf_counter() - began
        queued["tasks"] += 1
        return result

    tasks.deliver_notifications_task.delay = timed_delay
    started = time.perf_counter()
    refresh = eligibility_refresh(campaign_id=campaign.pk)
    seconds = time.perf_counter() - started
    url = f"/perks/{campaign.pk}/"
    return {
        "campaign": campaign.pk,
        "seconds": round(seconds, 2),
        "queue_seconds": round(queued["seconds"], 2),
        "tasks_queued": queued["tasks"],
        "offered": refresh.offered,
        "eligibility_rows": Eligibility.objects.filter(campaign=campaign).count(),
        "notified": Eligibility.objects.filter(campaign=campaign, notified_at__isnull=False)
        .values("pk")
        .count(),
        "inbox_rows": Notification.objects.filter(kind=NotificationKind.PERK_OFFER, url=url)
        .values("user")
        .distinct()
        .count(),
    }


def deliver(args: dict[str, Any]) -> dict[str, Any]:
    """What a worker then does with the queued e-mail, on a sample: the task's body run here
    on the first `sample` notifications of a campaign, sending to a local SMTP sink (EMAIL_URL
    must name it) that accepts and drops every message."""
    from aiosmtpd.controller import Controller

    from marketplace.models import Notification
    from marketplace.tasks import deliver_notifications_task

    class Sink:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.received += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=args["smtp_port"])
    controller.start()
    try:
        ids = list(
            Notification.objects.filter(url=f"/perks/{args['campaign']}/")
            .order_by("pk")
            .values_list("pk", flat=True)[: args["sample"]]
        )
        started = time.perf_counter()
        sent = deliver_notifications_task.run(ids)
        seconds = time.perf_counter() - started
    finally:
        controller.stop()
    return {
        "sample": len(ids),
        "sent": sent,
        "received": Sink.received,
        "seconds": round(seconds, 2),
        "per_second": round(len(ids) / seconds),
    }


# --- (c) the estimate ----------------------------------------------------------------------


def targets(_: dict[str, Any]) -> dict[str, Any]:
    """The three topics of the typical targets (a Chevy Volt for three days to people
    influential on sustainability), with how many people hold each."""
    from django.db.models import Count

    from scoring.models import Topic

    chosen = Topic.objects.filter(slug__in=TARGET_TOPICS).annotate(n=Count("person_scores__person"))
    return {"topics": [{"id": t.pk, "name": t.name, "people": t.n} for t in chosen]}


def estimate(args: dict[str, Any]) -> dict[str, Any]:
    """The audience panel's selector alone, in this process: `runs` × `calls` timed calls a
    target, after one untimed call; each run's median and the counts. In turns with each call,
    the count alone (campaigns.selectors.brands.estimate, all the panel showed until issue 23),
    so that the two compare on the same machine at the same moment."""
    from campaigns.selectors.audience import audience
    from campaigns.selectors.brands import estimate as count_only
    from campaigns.selectors.targeting import Target

    def timed(selector: Any, target: Target) -> float:
        began = time.perf_counter()
        selector(target=target)
        return (time.perf_counter() - began) * 1000

    out = {}
    for name, spec in args["targets"].items():
        target = Target(spec["min_score"], None, tuple(spec["topics"]), tuple(spec["countries"]))
        found = audience(target=target)
        count_only(target=target)
        runs, counts = [], []
        for _ in range(args["runs"]):
            times = [(timed(audience, target), timed(count_only, target))
                     for _ in range(args["calls"])]  # fmt: skip
            runs.append(round(float(np.median([t[0] for t in times])), 1))
            counts.append(round(float(np.median([t[1] for t in times])), 1))
        out[name] = {"people": found.people, "reachable": found.reachable, "runs_ms": runs,
                     "count_only_ms": counts, "sampled": found.sampled}  # fmt: skip
    return out


REWRITE = (  # the daily run's rewrite of the scores that moved
    "UPDATE scoring_person SET score = round((score + %s)::numeric, 2)::float8, "
    "score_day = score_day + %s, percentile = percentile, updated_at = now() WHERE score > 1"
)


def rewrite(args: dict[str, Any]) -> dict[str, Any]:
    """What the estimate's index costs the daily scoring run's rewrite of every score that
    moved (the 574,325 people with engagement): set aside as the pipeline does (dropped,
    the UPDATE, built again, VACUUM), and, for comparison, kept through the UPDATE (then
    VACUUM); with it kept, the estimate before that VACUUM and after. Each run moves every
    score by +0.01 then back, so the world ends as it began."""
    from django.db import connection, transaction

    from campaigns.selectors.audience import audience as estimate_of
    from campaigns.selectors.targeting import Target
    from scoring.pipeline import targeting_index_set_aside

    def timed_estimate() -> int:
        began = time.perf_counter()
        estimate_of(target=Target(40))
        return round((time.perf_counter() - began) * 1000)

    out: dict[str, list] = {"set aside": [], "kept": []}
    with connection.cursor() as cursor:

        def update(step: float) -> dict[str, Any]:
            began = time.perf_counter()
            with transaction.atomic():
                cursor.execute(REWRITE, [step, 1 if step > 0 else -1])
                cursor.execute(
                    "SELECT pg_stat_get_xact_tuples_updated(oid), "
                    "pg_stat_get_xact_tuples_hot_updated(oid) FROM pg_class "
                    "WHERE relname = 'scoring_person'"
                )
                updated, hot = cursor.fetchone()
            return {"update_s": round(time.perf_counter() - began, 1), "updated": updated,
                    "hot": hot}  # fmt: skip

        for run in range(args["runs"]):
            began = time.perf_counter()
            with targeting_index_set_aside(live=True):
                found = update(0.01)
            found |= {"run": run + 1, "total_s": round(time.perf_counter() - began, 1),
                      "estimate_after_ms": timed_estimate()}  # fmt: skip
            out["set aside"].append(found)

            began = time.perf_counter()
            found = update(-0.01) | {"run": run + 1, "estimate_before_vacuum_ms": timed_estimate()}
            cursor.execute("VACUUM (ANALYZE) scoring_person")
            found |= {"total_s": round(time.perf_counter() - began, 1),
                      "estimate_after_ms": timed_estimate()}  # fmt: skip
            out["kept"].append(found)
    return out


COMMANDS = {
    "status": status,
    "build": build,
    "sessions": sessions,
    "claim_setup": claim_setup,
    "claim_check": claim_check,
    "cleanup": cleanup,
    "notify": notify,
    "targets": targets,
    "estimate": estimate,
    "deliver": deliver,
    "rewrite": rewrite,
}


if __name__ == "__main__":
    setup()
    command = sys.argv[1]
    print(json.dumps(COMMANDS[command](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})))
