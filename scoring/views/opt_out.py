"""Leaving Sway: opting out one's verified profile, asking staff to opt out a handle that
cannot be verified here, deleting one's account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.http import AuthenticatedHttpRequest
from marketplace.refusals import RefusalAsMessage, RefusalOnForm
from scoring.forms import OptOutRequestForm
from scoring.selectors.people import opt_out_requests_of, public_id_of_user
from scoring.services.opt_out_requests import opt_out_request_file
from scoring.services.profiles import person_opt_out, user_delete


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opt_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    confirmed = request.POST.get("confirm") == "yes"
    if request.method == "POST" and confirmed:
        with RefusalAsMessage(request):
            person_opt_out(user=request.user)
            messages.success(request, "You have opted out: your profile and scores are deleted.")
            return redirect("home")
        return redirect("scoring:opt-out")
    error = "Tick the box to confirm." if request.method == "POST" else None
    return _opt_out_page(request, OptOutRequestForm(), error=error)


@require_POST
@login_required
def opt_out_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OptOutRequestForm(request.POST)
    if form.is_valid():
        handle = form.cleaned_data["handle"]
        with RefusalOnForm(form):
            filed = opt_out_request_file(
                user=request.user, handle=handle, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                f"{handle} no longer shows on Sway. Staff will decide by "
                f"{filed.answer_by:%-d %B %Y} whether to opt it out for good, and tell you.",
            )
            return redirect("scoring:opt-out")
    return _opt_out_page(request, form, status=400)


def _opt_out_page(
    request: AuthenticatedHttpRequest,
    form: OptOutRequestForm,
    *,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "error": error,
        "delete_account": False,
        "has_profile": public_id_of_user(user=request.user) is not None,
        "request_form": form,
        "requests": opt_out_requests_of(user=request.user),
    }
    return render(request, "scoring/opt_out.html", context, status=status)


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
