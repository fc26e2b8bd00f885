from datetime import date, datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from scoring import pipeline
from scoring.engine.versions import LIVE, MODELS
from scoring.services.backtests import model_backtest_record
from scoring.services.bluesky_backfill import bluesky_backfill
from scoring.services.bluesky_names import bluesky_handles_name
from scoring.services.bluesky_records import bluesky_records_forget
from scoring.services.mastodon_refresh import mastodon_refresh
from scoring.services.rescore import person_rescore
from scoring.services.summaries import weekly_summaries_send
from scoring.services.topic_candidates import Thresholds, topic_candidates_propose
from scoring.services.topic_refresh import topics_match_and_score


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
)
def compute_scores_task(as_of: str | None = None) -> dict[str, object]:
    """The nightly run of the live model (beat queues it just after midnight, UTC). Running a
    day again replaces it, so a retry is safe."""
    day = date.fromisoformat(as_of) if as_of else timezone.now().date()
    summary, _, _ = pipeline.run(as_of=day, params=MODELS[LIVE], live=True)
    return summary.as_dict()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def weekly_summaries_task() -> int:
    """Monday mornings (beat): the week's summaries. A second run sends none again."""
    return weekly_summaries_send(today=timezone.now().date())


@shared_task(autoretry_for=(Exception,), retry_backoff=10, max_retries=3, soft_time_limit=50)
def person_rescore_task(person_id: int) -> float | None:
    """A person's score again, right after a handle joined them (within the minute)."""
    return person_rescore(person_id=person_id)


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=3,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
)
def bluesky_backfill_task(handle_id: int) -> str | None:
    """A Bluesky handle just verified: its account's last 90 days read through the AppView,
    then its person scored again. What is read twice is written once (the writer's keys), so
    a retry is safe."""
    summary = bluesky_backfill(handle_id=handle_id)
    return None if summary is None else summary.describe()


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def bluesky_handles_name_task() -> int:
    """Every 10 minutes (beat): Bluesky accounts known by DID alone are given their names
    through the AppView. Not retried: the next run goes on where this one stopped, and naming
    an account again changes nothing."""
    return bluesky_handles_name()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def bluesky_records_forget_task() -> int:
    """Nightly (beat): Bluesky records past the window forgotten (services.bluesky_records).
    A second run finds nothing more to forget, so a retry is safe."""
    return bluesky_records_forget()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def topics_match_task(topic_ids: list[int], moderator_id: int | None = None) -> int:
    """Topics a moderator approved, renamed or merged into: the window's posts matched again
    and their people scored (scoring.services.topic_refresh). Adding a topic a post has already is a
    no-op and scoring a day again replaces it, so a retry is safe."""
    return topics_match_and_score(topic_ids=topic_ids, moderator_id=moderator_id)


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def topic_candidates_task() -> list[str]:
    """Nightly (beat): hashtags many people use become pending topics. A pending topic's
    hashtag is counted again, not proposed twice, so a retry is safe."""
    return topic_candidates_propose(now=timezone.now(), thresholds=Thresholds()).created


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=3,
    soft_time_limit=30 * 60,
    time_limit=35 * 60,
)
def backtest_record_task() -> int:
    """Weekly (beat): the live model's backtest on the last complete horizon, kept for the
    about page. Measuring a day again replaces that day's record, so a retry is safe."""
    return model_backtest_record(today=timezone.now().date()).pk


@shared_task(soft_time_limit=45 * 60, time_limit=50 * 60)
def mastodon_refresh_task(
    hosts: list[str] | None = None, read_before: str | None = None
) -> dict[str, object]:
    """Nightly, before the scores (beat): verified Mastodon accounts read for what is new
    (scoring.services.mastodon_refresh); a server throttled on the way is read again for the
    accounts this night left when its budget comes back (with a broker: with none, nothing
    would wait). Not retried, which would ask throttled or failing servers again at once; a
    second run is safe, as each account is written with its cursor in one transaction and
    reading again adds nothing twice."""
    started = timezone.now()
    night = datetime.fromisoformat(read_before) if read_before else started
    summary = mastodon_refresh(now=started, hosts=hosts, read_before=night)
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        for host, retry_at in summary.retry_at.items():
            mastodon_refresh_task.apply_async(
                kwargs={"hosts": [host], "read_before": night.isoformat()},
                eta=datetime.fromisoformat(retry_at),
            )
    return summary.as_dict()
