"""What signed-in people do: verify handles, grant access to private ones, give +K, hide or
report topics. Leaving Sway is scoring.views.opt_out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.errors import ApplicationError
from marketplace.http import AuthenticatedHttpRequest
from marketplace.refusals import Refusal, RefusalAsMessage
from scoring.forms import HandleForm
from scoring.models import Handle, HandleVerification, Topic
from scoring.selectors.people import handles_of, public_id_of_user, visible_people
from scoring.selectors.verification_ways import ways_to_verify
from scoring.services.profiles import endorsement_give, topic_hide, topic_report, topic_show
from scoring.services.verification import (
    handle_grant_access,
    verification_check,
    verification_start,
)
from scoring.services.verification_sign_in import handles_verify_connected


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    ways = ways_to_verify(request)
    form = HandleForm(request.POST or None, ways=ways)
    if request.method == "POST" and form.is_valid():
        verification = verification_start(user=request.user, handle=form.cleaned_data["handle"])
        return redirect("scoring:verify-check", pk=verification.pk)
    context = {
        "form": form,
        "ways": ways.values(),
        "by_code": [way.network.label for way in ways.values() if way.by_code],
        "handles": handles_of(user=request.user),
    }
    return render(request, "scoring/verify_start.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    verification = get_object_or_404(
        HandleVerification.objects.select_related("handle"), pk=pk, user=request.user
    )
    refusal = Refusal()
    if request.method == "POST":
        with refusal:
            person = verification_check(verification=verification)
            messages.success(request, f"{verification.handle} is verified: it is yours now.")
            return redirect("scoring:profile", public_id=person.public_id)
    context = {"verification": verification, "error": refusal.message}
    return render(request, "scoring/verify_check.html", context)


@require_POST
@login_required
def grant_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    handle = get_object_or_404(Handle, pk=pk)
    granted = request.POST.get("granted") == "true"
    try:
        handle_grant_access(user=request.user, handle=handle, granted=granted)
    except ApplicationError as refused:  # to others, the handle is not there to grant
        raise Http404(refused.message) from refused
    messages.success(
        request,
        f"Sway {'now counts' if granted else 'no longer counts'} the engagement of {handle} "
        "from the next daily run.",
    )
    return redirect("scoring:verify")


@require_safe
@login_required
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    public_id = public_id_of_user(user=request.user)
    if public_id is None:
        messages.info(
            request,
            "You have no profile yet: verify one of your handles to make its profile yours.",
        )
        return redirect("scoring:verify")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def give_plus_k(request: AuthenticatedHttpRequest, public_id: str, topic: int) -> HttpResponse:
    receiver = get_object_or_404(visible_people(), public_id=public_id)
    chosen = _topic(topic)
    with RefusalAsMessage(request):
        given = endorsement_give(user=request.user, receiver=receiver, topic=chosen)
        left = (
            f"You have {given.left_today} +K left today."
            if given.left_today
            else "That was your last +K for today."
        )
        messages.success(request, f"You gave {receiver} +K on {chosen.name}. {left}")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def report_topic(request: AuthenticatedHttpRequest, public_id: str, topic: int) -> HttpResponse:
    person = get_object_or_404(visible_people(), public_id=public_id)
    reason = request.POST.get("reason", "")
    with RefusalAsMessage(request):
        topic_report(user=request.user, person=person, topic=_topic(topic), reason=reason)
        messages.success(request, "Thank you: moderators will look at this topic.")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def hide_topic(request: AuthenticatedHttpRequest, topic: int) -> HttpResponse:
    hidden = request.POST.get("hidden", "true") == "true"
    with RefusalAsMessage(request):
        (topic_hide if hidden else topic_show)(user=request.user, topic=_topic(topic))
        name = _topic(topic).name
        messages.success(
            request,
            f"{name} is off your profile." if hidden else f"{name} shows on your profile again.",
        )
        return redirect("scoring:me")
    return redirect("scoring:verify")  # no profile of their own yet


def _topic(pk: int) -> Topic:
    return get_object_or_404(Topic, pk=pk)


@require_safe
@login_required
def verify_connected(request: AuthenticatedHttpRequest) -> HttpResponse:
    for handle in handles_verify_connected(user=request.user):
        messages.success(request, f"{handle} is verified: it is yours now.")
    return redirect("scoring:verify")
