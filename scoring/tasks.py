from datetime import date

from celery import shared_task
from django.utils import timezone

from scoring import pipeline
from scoring.engine.versions import LIVE, MODELS
from scoring.services.backtests import model_backtest_record
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
