"""Opting out a handle whose owner cannot prove it is theirs online: they ask, the handle's
person is hidden at once, and staff opt it out for good or show it again before the answer
is due (OPT_OUT_REVIEW_TIME)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.errors import ApplicationError
from marketplace.models import NotificationKind, User
from marketplace.notifications import notification_send
from marketplace.queueing import queue_on_commit
from scoring.lock_objects import (
    handle_and_person_lock,
    opt_out_request_lock,
    person_and_handles_lock,
)
from scoring.models import (
    OPT_OUT_REVIEW_TIME,
    Handle,
    OptOutRequest,
    OptOutRequestStatus,
)
from scoring.services.profiles import person_forget

PENDING_A_USER = 3  # hiding is immediate, so one account cannot hide a crowd


@transaction.atomic
def opt_out_request_file(*, user: User, handle: Handle, message: str) -> OptOutRequest:
    handle = handle_and_person_lock(handle.pk)
    person = handle.person
    if person.opted_out:
        waiting = OptOutRequest.objects.filter(handle=handle, status=OptOutRequestStatus.PENDING)
        raise _not_filed(
            f"{handle} is hidden while staff review a request to opt it out already."
            if waiting.exists()
            else f"{handle} has opted out of Sway already."
        )
    if person.owner_id == user.pk:
        raise _not_filed(f"{handle} is verified as yours: opt out of Sway directly.")
    if person.owner_id is not None:
        raise _not_filed(
            f"{handle} is on a profile that someone verified. If the handle is yours, verify "
            "it again to take it back, then opt out."
        )
    pending = OptOutRequest.objects.filter(user=user, status=OptOutRequestStatus.PENDING)
    if pending.count() >= PENDING_A_USER:
        raise _not_filed(
            f"You have {PENDING_A_USER} requests waiting for review: staff answer them first."
        )
    person.opted_out = True
    person.save(update_fields=["opted_out", "updated_at"])
    return OptOutRequest.objects.create(
        user=user, handle=handle, message=message, answer_by=timezone.now() + OPT_OUT_REVIEW_TIME
    )


def _not_filed(reason: str) -> ApplicationError:
    """A request refused, said at the handle: the one thing the requester names."""
    return ApplicationError(reason, fields={"handle": reason})


@transaction.atomic
def opt_out_request_approve(*, request: OptOutRequest, staff: User) -> None:
    request = _pending(request)
    person_forget(person=person_and_handles_lock(request.handle.person_id))
    _decide(request, staff, OptOutRequestStatus.APPROVED)
    _tell(
        request,
        f"{request.handle} is opted out of Sway",
        f"Staff agreed that {request.handle} is yours. Its profile, scores and history are "
        "deleted, and Sway will never score it again.",
    )


@transaction.atomic
def opt_out_request_reject(*, request: OptOutRequest, staff: User, note: str) -> None:
    if not note.strip():
        raise ApplicationError("Say why the request is turned down: the requester is told.")
    request = _pending(request)
    person = request.handle.person
    person.opted_out = False
    person.save(update_fields=["opted_out", "updated_at"])
    queue_on_commit("scoring.tasks.person_rescore_task", person.pk)
    request.staff_note = note.strip()[:500]
    _decide(request, staff, OptOutRequestStatus.REJECTED)
    _tell(
        request,
        f"Your request to opt {request.handle} out was turned down",
        f"Staff could not confirm that {request.handle} is yours: {request.staff_note} "
        "The handle shows on Sway again. If it is yours, verify it to opt out yourself.",
    )


def _pending(request: OptOutRequest) -> OptOutRequest:
    locked = opt_out_request_lock(request.pk)
    if locked.status != OptOutRequestStatus.PENDING:
        raise ApplicationError(f"The request for {locked.handle} was decided already.")
    return locked


def _decide(request: OptOutRequest, staff: User, status: OptOutRequestStatus) -> None:
    request.status, request.decided_at, request.decided_by = status, timezone.now(), staff
    request.save(update_fields=["status", "decided_at", "decided_by", "staff_note", "updated_at"])


def _tell(request: OptOutRequest, subject: str, body: str) -> None:
    notification_send(
        user=request.user,
        kind=NotificationKind.ACCOUNT,
        subject=subject,
        body=body,
        url=reverse("scoring:opt-out"),
    )
