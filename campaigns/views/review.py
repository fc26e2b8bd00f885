"""Staff's review page of a campaign, reached from the admin (CampaignAdmin.get_urls, which
puts the admin's sign-in before it): what there is to decide on, and approving or rejecting
it there through the same service as the admin's actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from campaigns.models import Campaign
from campaigns.selectors.review import campaign_review_of, may_decide
from campaigns.services.lifecycle import campaign_review
from marketplace.refusals import Refusal

PAGE = "admin/campaigns/campaign/review.html"


class RejectForm(forms.Form):
    note = forms.CharField(
        label="Why",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The brand reads this, and may change the campaign and submit it again.",
    )


@require_safe
def review(request: HttpRequest, pk: int, *, campaigns: admin.ModelAdmin) -> HttpResponse:
    return _page(request, pk, campaigns, RejectForm())


@require_POST
def approve(request: HttpRequest, pk: int, *, campaigns: admin.ModelAdmin) -> HttpResponse:
    campaign = _campaign(request, pk, campaigns)
    with Refusal() as refused:
        campaign_review(campaign=campaign, approve=True, now=timezone.now())
        messages.success(request, f"“{campaign}” is approved: {campaign.get_status_display()}.")
    if refused.message:
        messages.error(request, f"“{campaign}” was not approved: {refused.message}")
    return redirect("admin:campaigns_campaign_review", pk)


@require_POST
def reject(request: HttpRequest, pk: int, *, campaigns: admin.ModelAdmin) -> HttpResponse:
    campaign = _campaign(request, pk, campaigns)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, campaigns, form, status=400)
    with Refusal() as refused:
        note = form.cleaned_data["note"]
        campaign_review(campaign=campaign, approve=False, note=note, now=timezone.now())
        messages.success(request, f"“{campaign}” is rejected: its brand reads why.")
    if refused.message:
        messages.error(request, f"“{campaign}” was not rejected: {refused.message}")
    return redirect("admin:campaigns_campaign_review", pk)


def _campaign(request: HttpRequest, pk: int, campaigns: admin.ModelAdmin) -> Campaign:
    """The campaign, if the staff member may see it as the admin decides; else 404 or 403."""
    campaign = campaigns.get_object(request, str(pk))
    if campaign is None:
        raise Http404("No such campaign")
    _may_see(request, campaign, campaigns)
    if not may_decide(request.user):
        raise PermissionDenied
    return campaign


def _may_see(request: HttpRequest, campaign: Campaign, campaigns: admin.ModelAdmin) -> None:
    if not campaigns.has_view_permission(request, campaign):
        raise PermissionDenied


def _page(
    request: HttpRequest,
    pk: int,
    campaigns: admin.ModelAdmin,
    form: RejectForm,
    status: int = 200,
) -> HttpResponse:
    found = campaign_review_of(pk=pk)
    if found is None:
        raise Http404("No such campaign")
    _may_see(request, found.campaign, campaigns)
    context = {
        "review": found,
        "form": form,
        "opts": campaigns.opts,
        "may_decide": may_decide(request.user),
    }
    return render(request, PAGE, context, status=status)
