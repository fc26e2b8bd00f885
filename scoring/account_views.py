"""A signed-in person's own pages: verifying handles and granting access to private ones."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.http import AuthenticatedHttpRequest
from scoring import selectors
from scoring.handle_query import HandleQuery, UnknownAddress, parse
from scoring.models import Handle, HandleVerification
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
        return handle


@require_http_methods(["GET", "POST"])
@login_required
def verify_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verification = verification_start(user=request.user, handle=form.cleaned_data["handle"])
        return redirect("scoring:verify-check", pk=verification.pk)
    context = {"form": form, "handles": selectors.handles_of(user=request.user)}
    return render(request, "scoring/verify_start.html", context)


@require_http_methods(["GET", "POST"])
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


@require_http_methods(["GET"])
@login_required
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    public_id = selectors.public_id_of_user(user=request.user)
    if public_id is None:
        return redirect("scoring:verify")
    return redirect("scoring:profile", public_id=public_id)
