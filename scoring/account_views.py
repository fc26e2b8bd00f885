"""What signed-in people do: verify handles, grant access to private ones, give +K, hide or
report topics, opt out or delete their account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.http import AuthenticatedHttpRequest
from scoring import selectors
from scoring.handle_query import HandleQuery, UnknownAddress, parse
from scoring.models import Handle, HandleVerification, Topic
from scoring.profile_services import (
    ProfileError,
    endorsement_give,
    person_opt_out,
    topic_hide,
    topic_report,
    topic_show,
    user_delete,
)
from scoring.social import handles_verify_connected
from scoring.verification import (
    VerificationError,
    handle_grant_access,
    verification_check,
    verification_start,
)


class HandleForm(forms.Form):
    handle = forms.CharField(
        label="Your handle",
        max_length=300,
        help_text="For example @alice@mastodon.social, twitter:@alice or a profile address.",
    )

    def clean_handle(self) -> Handle:
        text = self.cleaned_data["handle"]
        try:
            query = parse(text)
        except UnknownAddress as error:
            raise forms.ValidationError(str(error)) from error
        if not isinstance(query, HandleQuery) or query.network is None:
            raise forms.ValidationError(
                "Say which network, as in twitter:@alice or @alice@mastodon.social."
            )
        handle = selectors.handle_named(network=query.network, username=query.username)
        if handle is None:
            raise forms.ValidationError(
                f"Sway has not seen {query.network}:@{query.username} yet: it needs some "
                "public activity first."
            )
        if handle.person.opted_out:
            raise forms.ValidationError(f"{handle} opted out of Sway: it is not scored.")
        return handle


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verification = verification_start(user=request.user, handle=form.cleaned_data["handle"])
        return redirect("scoring:verify-check", pk=verification.pk)
    context = {"form": form, "handles": selectors.handles_of(user=request.user)}
    return render(request, "scoring/verify_start.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    verification = get_object_or_404(
        HandleVerification.objects.select_related("handle"), pk=pk, user=request.user
    )
    error = None
    if request.method == "POST":
        try:
            person = verification_check(verification=verification)
        except VerificationError as failure:
            error = str(failure)
        else:
            messages.success(request, f"{verification.handle} is verified: it is yours now.")
            return redirect("scoring:profile", public_id=person.public_id)
    context = {"verification": verification, "error": error}
    return render(request, "scoring/verify_check.html", context)


@require_POST
@login_required
def grant_access(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    handle = get_object_or_404(Handle, pk=pk)
    granted = request.POST.get("granted") == "true"
    try:
        handle_grant_access(user=request.user, handle=handle, granted=granted)
    except VerificationError as error:
        raise Http404(str(error)) from error
    messages.success(
        request,
        f"Sway {'now counts' if granted else 'no longer counts'} the engagement of {handle} "
        "from the next daily run.",
    )
    return redirect("scoring:verify")


@require_safe
@login_required
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    public_id = selectors.public_id_of_user(user=request.user)
    if public_id is None:
        return redirect("scoring:verify")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def give_plus_k(request: AuthenticatedHttpRequest, public_id: str, topic: int) -> HttpResponse:
    receiver = get_object_or_404(selectors.visible_people(), public_id=public_id)
    chosen = _topic(topic)
    try:
        endorsement_give(user=request.user, receiver=receiver, topic=chosen)
    except ProfileError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You gave {receiver} +K on {chosen.name}.")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def report_topic(request: AuthenticatedHttpRequest, public_id: str, topic: int) -> HttpResponse:
    person = get_object_or_404(selectors.visible_people(), public_id=public_id)
    reason = request.POST.get("reason", "")
    try:
        topic_report(user=request.user, person=person, topic=_topic(topic), reason=reason)
    except ProfileError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you: moderators will look at this topic.")
    return redirect("scoring:profile", public_id=public_id)


@require_POST
@login_required
def hide_topic(request: AuthenticatedHttpRequest, topic: int) -> HttpResponse:
    hidden = request.POST.get("hidden", "true") == "true"
    try:
        (topic_hide if hidden else topic_show)(user=request.user, topic=_topic(topic))
    except ProfileError as error:
        messages.error(request, str(error))
        return redirect("scoring:verify")
    name = _topic(topic).name
    messages.success(
        request,
        f"{name} is off your profile." if hidden else f"{name} shows on your profile again.",
    )
    return redirect("scoring:me")


def _topic(pk: int) -> Topic:
    return get_object_or_404(Topic, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opt_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirmed = request.POST.get("confirm") == "yes"
    if request.method == "POST" and confirmed:
        try:
            person_opt_out(user=request.user)
        except ProfileError as refused:
            messages.error(request, str(refused))
            return redirect("scoring:opt-out")
        messages.success(request, "You have opted out: your profile and scores are deleted.")
        return redirect("home")
    error = "Tick the box to confirm." if request.method == "POST" else None
    return render(request, "scoring/opt_out.html", {"error": error, "delete_account": False})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        user_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account is deleted. Goodbye.")
        return redirect("home")
    error = "Tick the box to confirm." if request.method == "POST" else None
    return render(request, "scoring/opt_out.html", {"error": error, "delete_account": True})


@require_safe
@login_required
def verify_connected(request: AuthenticatedHttpRequest) -> HttpResponse:
    for handle in handles_verify_connected(user=request.user):
        messages.success(request, f"{handle} is verified: it is yours now.")
    return redirect("scoring:verify")
