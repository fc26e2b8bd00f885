"""The inbox and the e-mail preferences."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from marketplace.http import AuthenticatedHttpRequest
from marketplace.models import User
from marketplace.notifications import inbox as inbox_of
from marketplace.notifications import notifications_mark_read
from marketplace.services import user_update_email_preferences

PER_PAGE = 25


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email_perk_offers", "email_weekly_summary")


@require_safe
@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(inbox_of(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "marketplace/inbox.html", {"page": page})


@require_POST
@login_required
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("inbox")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def email_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_email_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, "Your e-mail preferences are saved.")
        return redirect("email-preferences")
    return render(request, "marketplace/email_preferences.html", {"form": form})
