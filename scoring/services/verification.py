"""Verifying a handle: a signed-in user proves it is theirs, and its person becomes theirs.

A user has one person. Verifying a first handle makes the handle's person theirs (or a new
person, when that one holds other handles or belongs to someone else); each further handle
joins that person. The score accumulates at once, provisionally: a person's raw influence is
a sum over their handles (scoring.engine.compute), so the joined person's raw parts are added
and calibrated again. A task then scores the person again (scoring.services.rescore) within
the minute."""

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import ApplicationError
from marketplace.models import NotificationKind, User
from marketplace.notifications import notification_send
from marketplace.queueing import queue_on_commit
from scoring.engine.curves import calibrate
from scoring.engine.versions import MODELS
from scoring.ingest.mastodon import VERIFICATION_STATUSES
from scoring.lock_objects import handle_and_person_lock, owned_person_lock
from scoring.models import (
    VERIFICATION_CODE_LIFETIME,
    Handle,
    HandleVerification,
    Network,
    Person,
    ScoreDetails,
    Verification,
)
from scoring.score_parts import PERSISTENCE
from scoring.services.verification_texts import CannotRead, public_texts


@transaction.atomic
def verification_start(*, user: User, handle: Handle) -> HandleVerification:
    """The user's open verification of the handle, or a new one with a fresh code."""
    fresh_since = timezone.now() - VERIFICATION_CODE_LIFETIME
    current = (
        HandleVerification.objects.filter(
            user=user, handle=handle, verified_at=None, created_at__gt=fresh_since
        )
        .order_by("-created_at")
        .first()
    )
    return current or HandleVerification.objects.create(user=user, handle=handle)


def verification_check(*, verification: HandleVerification) -> Person:
    """Look for the code where the handle's owner alone can write; verify the handle if it is
    there. The handle's server is read outside any transaction."""
    if verification.verified_at is not None:
        return verification.handle.person
    if timezone.now() > verification.expires_at:
        raise ApplicationError("This code has expired. Start again to get a new one.")
    handle = verification.handle
    try:
        texts = public_texts(handle)
    except CannotRead as error:
        _record_failure(verification, str(error))
        raise ApplicationError(str(error)) from error
    if not any(verification.code in text for text in texts):
        reason = (
            f"{verification.code} is not in the bio, the profile fields or the latest "
            f"{VERIFICATION_STATUSES} posts of {handle} yet."
        )
        _record_failure(verification, reason)
        raise ApplicationError(reason)
    return handle_verify(user=verification.user, handle=handle, verification=verification)


def _record_failure(verification: HandleVerification, reason: str) -> None:
    verification.checked_at = timezone.now()
    verification.failure = reason[:300]
    verification.save(update_fields=["checked_at", "failure", "updated_at"])


@transaction.atomic
def handle_verify(
    *, user: User, handle: Handle, verification: HandleVerification | None = None
) -> Person:
    """Make the handle the user's: it joins the user's person, whoever held it before (who is
    told). Returns the user's person."""
    handle = handle_and_person_lock(handle.pk)
    before = handle.person
    mine = owned_person_lock(user).first()
    if mine is None and before.owner_id is None and before.handles.count() == 1:
        before.owner = user
        before.save(update_fields=["owner", "updated_at"])
        mine = before
    elif mine is None:
        mine = Person.objects.create(owner=user, display_name=handle.display_name or str(handle))
    if handle.person_id != mine.pk:
        handle.person = mine
        _add_scores(mine, before)
    now = timezone.now()
    handle.verification, handle.verified_at = Verification.VERIFIED, now
    handle.save(update_fields=["person", "verification", "verified_at", "updated_at"])
    if verification is not None:
        verification.checked_at = verification.verified_at = now
        verification.failure = ""
        verification.save(update_fields=["checked_at", "verified_at", "failure", "updated_at"])
    if handle.network == Network.BLUESKY:
        # Its last 90 days, read now: the stream has only what it saw since it started.
        queue_on_commit("scoring.tasks.bluesky_backfill_task", handle.pk)
    if before.pk != mine.pk:
        _rescore_soon(mine.pk)
        if before.handles.exists():
            _rescore_soon(before.pk)
        elif before.owner_id is None:
            before.delete()
    if before.owner is not None and before.owner != user:
        _tell_previous_owner(before.owner, handle)
    return mine


def _rescore_soon(person_id: int) -> None:
    queue_on_commit("scoring.tasks.person_rescore_task", person_id)


def _add_scores(into: Person, joined: Person) -> None:
    """The provisional score of `into` once `joined`'s handle is part of it, never below what
    either had. Raw influence, reach, network and persistence add up over handles;
    amplification is their reach-weighted mean (scoring.engine.compute)."""
    ours, theirs = into.score_details, joined.score_details
    if not theirs.get("raw") or ours.get("model", theirs["model"]) != theirs["model"]:
        return
    networks = dict(ours.get("networks", {}))
    for network, part in theirs.get("networks", {}).items():
        networks[network] = round(networks.get(network, 0.0) + part, 4)
    sides = (ours, theirs)
    reach = sum(d.get("reach", 0.0) for d in sides)
    weighted = sum(d.get("reach", 0.0) * d.get("amplification", 0.0) for d in sides)
    merged = {
        "raw": round(sum(d.get("raw", 0.0) for d in sides), 4),
        "reach": round(reach, 3),
        "amplification": round(weighted / reach, 3) if reach else 0.0,
        "network": round(sum(d.get("network", 0.0) for d in sides), 3),
        "networks": networks,
    }
    if PERSISTENCE in theirs:  # a version that counts it: it adds up over handles too
        merged[PERSISTENCE] = round(sum(d.get(PERSISTENCE, 0.0) for d in sides), 3)
    score = float(calibrate(np.array([merged["raw"]]), MODELS[theirs["model"]])[0])
    into.score = max(score, into.score or 0.0, joined.score or 0.0)
    into.score_day = joined.score_day if into.score_day is None else into.score_day
    into.score_model = theirs["model"]
    into.save(update_fields=["score", "score_day", "score_model", "updated_at"])
    ScoreDetails.objects.update_or_create(
        person=into, defaults={"data": {**theirs, **ours, **merged}}
    )


def _tell_previous_owner(owner: User, handle: Handle) -> None:
    notification_send(
        user=owner,
        kind=NotificationKind.ACCOUNT,
        subject=f"{handle} was verified by another account",
        body=(
            f"Someone proved they control {handle} and it has moved to their Sway profile. "
            "If that was not you, secure the account on the network, then verify it again."
        ),
        url=reverse("scoring:verify"),
    )


@transaction.atomic
def handle_grant_access(*, user: User, handle: Handle, granted: bool) -> Handle:
    """Let Sway count (or stop counting) a private handle's engagement: its owner only."""
    handle = handle_and_person_lock(handle.pk)
    if handle.person.owner_id != user.pk or handle.verification != Verification.VERIFIED:
        raise ApplicationError("Only the verified owner of a handle can grant access to it.")
    handle.access_granted = granted
    handle.save(update_fields=["access_granted", "updated_at"])
    return handle
