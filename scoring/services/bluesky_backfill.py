"""A Bluesky account's last 90 days read through the AppView (scoring.ingest.bluesky.backfill)
when it is verified, and its person scored again: their score is complete within minutes, not
after 90 days of streaming."""

import io
import logging

from django.db import transaction

from scoring.ingest.bluesky import backfill
from scoring.ingest.runner import ImportSummary, import_source
from scoring.models import Handle, Network
from scoring.services.rescore import person_rescore

logger = logging.getLogger(__name__)


def bluesky_backfill(*, handle_id: int) -> ImportSummary | None:
    """Read the handle's account and write what it gives in one transaction (a failed call
    raises AppViewError before anything is written; an item that is not well formed is left
    out), then score its person again. None, and nothing done, for no Bluesky handle."""
    handle = Handle.objects.filter(pk=handle_id, network=Network.BLUESKY).first()
    if handle is None:
        return None
    source = backfill.read(handle.external_id)
    errors = io.StringIO()
    with transaction.atomic():
        summary = import_source(source, on_error="skip", errors=errors)
    if summary.rejected:
        logger.warning("Bluesky backfill of %s left out: %s", handle, errors.getvalue()[:2000])
    person_id = Handle.objects.values_list("person_id", flat=True).get(pk=handle_id)
    person_rescore(person_id=person_id)
    return summary
