"""Fulfilling a shipped product's claims many at once, from a CSV file of tracking numbers.
The campaign page holds the form; this page answers it, and shows the file's problems, line by
line, when there are any."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from campaigns.errors import TrackingFileError
from campaigns.forms import TrackingFileForm
from campaigns.models import Role
from campaigns.services.fulfilment import MAX_FILE_BYTES, claims_fulfil_from_file
from campaigns.views.access import brand_campaign, member_brand
from marketplace.http import AuthenticatedHttpRequest
from marketplace.refusals import RefusalOnForm

PROBLEMS_SHOWN = 100


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def claims_fulfil_file(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    brand = member_brand(request, slug, Role.MANAGER)
    campaign = brand_campaign(brand, pk)
    form = TrackingFileForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        # One byte more than a file may have is enough to refuse it, and no more is read.
        data = form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)
        with RefusalOnForm(form):
            try:
                fulfilled = claims_fulfil_from_file(
                    actor=request.user, campaign=campaign, data=data
                )
            except TrackingFileError as refused:
                problems = refused.problems
            else:
                messages.success(request, _said(fulfilled))
                return redirect("campaigns:campaign", slug=slug, pk=pk)
    context = {
        "brand": brand,
        "campaign": campaign,
        "form": form,
        "problems": problems[:PROBLEMS_SHOWN],
        "more": max(len(problems) - PROBLEMS_SHOWN, 0),
    }
    return render(request, "campaigns/fulfil_file.html", context)


def _said(fulfilled: int) -> str:
    if not fulfilled:
        return "Nothing new: the file's claims were all fulfilled already, as it says."
    return f"{fulfilled} claim{'s' * (fulfilled != 1)} marked fulfilled; each claimant is told."
