"""A code perk's codes uploaded from a page (the builder's review step or the dashboard), the
outcome said as a message."""

from django.contrib import messages

from campaigns.forms import CodesForm
from campaigns.models import Campaign
from campaigns.services.codes import MAX_FILE_BYTES, codes_upload
from marketplace.http import AuthenticatedHttpRequest
from marketplace.refusals import RefusalAsMessage


def codes_add(request: AuthenticatedHttpRequest, campaign: Campaign) -> None:
    """A file over the limit is read only as far as needed to refuse it."""
    form = CodesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV file of codes.")
        return
    with RefusalAsMessage(request):
        data = form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)
        added = codes_upload(actor=request.user, campaign=campaign, data=data)
        messages.success(request, f"{added} code{'s' if added != 1 else ''} added to the pool.")
