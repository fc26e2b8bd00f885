"""Scoring one person again between daily runs, after a handle joins them.

A person's score depends on the engagement their handles received and on what each engager's
engagement is worth. The first is read again now; the second needs the whole world, so it is
taken from the last daily run (the influence, automation and selectivity stored with each
engager's score).
The result is what the day's run would have given the person had the handle been theirs."""

from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from scoring import pipeline
from scoring.engine.compute import compute
from scoring.engine.model import Standing
from scoring.engine.versions import LIVE, MODELS
from scoring.lock_objects import person_lock
from scoring.models import (
    SCORE_PARTS,
    Handle,
    Interaction,
    Person,
    PersonTopic,
    ScoreDetails,
    ScoreSnapshot,
)
from scoring.score_parts import PERSISTENCE, score_parts

SNAPSHOT_PARTS = ("score", *SCORE_PARTS, PERSISTENCE)  # the figures a snapshot keeps


def person_rescore(*, person_id: int) -> float | None:
    """The person's score for their last scored day (today if never), now. None, and nothing
    written, when they have opted out, hold no handle, or an engager has no stored standing
    yet (scored before standings were kept): the next daily run scores them then."""
    person = Person.objects.filter(pk=person_id, opted_out=False).first()
    if person is None:
        return None
    params = MODELS[LIVE]
    day = person.score_day or timezone.localdate()
    start, end = pipeline.window(day, params)
    own = list(person.handles.values_list("pk", flat=True))
    interactions = pipeline.interaction_arrays(
        Interaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end).filter(
            Q(target_id__in=own) | Q(actor_id__in=own)
        )
    )
    involved = np.union1d(own, np.concatenate(interactions[:2])).tolist()
    handles = pipeline.handle_arrays(
        Handle.objects.filter(pk__in=involved, person__opted_out=False)
    )
    extract = pipeline.assemble(end, handles, interactions)
    at = int(np.searchsorted(extract.person_ids, person_id))
    if at == len(extract.person_ids) or extract.person_ids[at] != person_id:
        return None  # its handles moved on before this ran
    standing = _standing(extract)
    if standing is None:
        return None
    scores = compute(extract.signals, params, standing)
    details = next(d for i, d in enumerate(pipeline.details(scores, extract)) if i == at)
    parts = {name: round(float(getattr(scores, name)[at]), 3) for name in SNAPSHOT_PARTS}
    _save(person.pk, day, params.version, parts, details)
    return parts["score"]


def _standing(extract: pipeline.Extract) -> Standing | None:
    """The last run's standing of everyone in the extract; never-scored people have no
    influence and no discount."""
    influence = dict.fromkeys(extract.person_ids.tolist(), 0.0)
    automated: dict[int, float] = {}
    selective: dict[int, float] = {}
    rows = Person.objects.filter(pk__in=influence).exclude(score=None)
    for pk, worth, automated_handles, selective_handles in rows.values_list(
        "pk",
        "details__data__influence",
        "details__data__automated",
        "details__data__selective",
    ):
        if worth is None:
            return None
        influence[pk] = worth
        automated.update(automated_handles or [])
        selective.update(selective_handles or [])
    handles = extract.handle_ids.tolist()
    return Standing(
        influence=np.array(list(influence.values())),
        automation=np.array([automated.get(h, 1.0) for h in handles]),
        selectivity=np.array([selective.get(h, 1.0) for h in handles]),
    )


@transaction.atomic
def _save(
    person_id: int, day: date, version: str, parts: dict[str, float], details: dict[str, Any]
) -> None:
    person = person_lock(person_id)
    if person.score_day not in (None, day):
        return  # a daily run scored a later day meanwhile, with the handle counted
    score = parts["score"]
    of_day = ScoreSnapshot.objects.filter(day=day, model_version=version).exclude(
        person_id=person_id
    )
    # The score's and each shown part's share of the day's other people below it, in one scan.
    ranked = ("score", *score_parts(version))
    lower = {name: Count("pk", filter=Q(**{f"{name}__lt": parts[name]})) for name in ranked}
    counts = of_day.aggregate(everyone=Count("pk"), **{f"{n}_lower": c for n, c in lower.items()})
    below = {
        name: round(100.0 * counts[f"{name}_lower"] / (counts["everyone"] + 1), 2)
        for name in ranked
    }
    percentile = below.pop("score")
    person.score, person.score_day, person.percentile = score, day, percentile
    person.score_model = version
    person.save(update_fields=["score", "score_day", "percentile", "score_model", "updated_at"])
    reasons = person.score_details.get("reasons", [])
    ScoreDetails.objects.update_or_create(
        person=person, defaults={"data": details | {"reasons": reasons, "percentiles": below}}
    )
    ScoreSnapshot.objects.update_or_create(
        person_id=person_id,
        day=day,
        model_version=version,
        defaults=parts | {"percentile": percentile},
    )
    PersonTopic.objects.filter(person_id=person_id).delete()
    PersonTopic.objects.bulk_create(
        PersonTopic(person_id=person_id, topic_id=topic, score=topic_score)
        for topic, topic_score in details["topics"]
    )
