"""A product's claims marked fulfilled in bulk from a CSV file of tracking numbers, all or none.

Each line names a claim by its number (the `claim` column of the claims export) and gives its
tracking number. The export itself comes back as such a file once its tracking column is
filled in: a first line naming a `claim` column is a header that says where both columns are,
and a line without a tracking number (not shipped yet) is passed over."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campaigns.errors import TrackingFileError
from campaigns.lock_objects import claims_lock
from campaigns.models import Campaign, Claim, ClaimStatus, PerkType, Role
from campaigns.selectors.roles import Actor, role_require
from campaigns.services.claims import fulfilment_notice, tracking_problem
from marketplace.errors import ApplicationError
from marketplace.notifications import notifications_send_many

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SHIPMENTS = 5000
CLAIM_NUMBER_DIGITS = 18  # a bigint's, and no more: a longer "number" is no claim's
QUOTED = 40  # how much of a bad value a problem quotes


@dataclass(frozen=True)
class Shipment:
    line: int
    claim_id: int
    tracking: str


@transaction.atomic
def claims_fulfil_from_file(*, actor: Actor, campaign: Campaign, data: bytes) -> int:
    """Mark fulfilled every claim the file gives a tracking number for, and tell each
    claimant; if any line has a problem, none, and every problem is named with its line
    (TrackingFileError). A claim fulfilled already with the same tracking number is left as it
    is, so that the same file sent twice does nothing more. Returns how many were fulfilled."""
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    if campaign.perk_type != PerkType.PRODUCT:
        raise ApplicationError("Only a shipped product has tracking numbers.")
    shipments = read_shipments(_text(data))
    claims = {
        claim.pk: claim for claim in claims_lock(campaign.pk, [s.claim_id for s in shipments])
    }
    problems = [
        (shipment.line, problem)
        for shipment in shipments
        if (problem := _refusal(shipment, claims.get(shipment.claim_id)))
    ]
    if problems:
        raise TrackingFileError(problems)
    now = timezone.now()
    shipped = []
    for shipment in shipments:
        claim = claims[shipment.claim_id]
        if claim.status == ClaimStatus.CONFIRMED:  # not one fulfilled already, as the file says
            claim.status, claim.tracking = ClaimStatus.FULFILLED, shipment.tracking
            claim.fulfilled_at = claim.updated_at = now
            shipped.append(claim)
    Claim.objects.bulk_update(shipped, ["status", "tracking", "fulfilled_at", "updated_at"])
    notifications_send_many(
        notifications=[
            fulfilment_notice(user=claim.user, campaign=campaign, tracking=claim.tracking)
            for claim in shipped
        ]
    )
    return len(shipped)


def _text(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ApplicationError(f"The file is over {MAX_FILE_BYTES // 2**20} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(f"The file is not UTF-8 text (byte {error.start}).") from error


def read_shipments(text: str) -> list[Shipment]:
    """The claim and tracking number of each line that has a tracking number; every line
    that cannot be one is reported with its number (TrackingFileError), and then none is
    returned."""
    first_line = text.partition("\n")[0]
    delimiter = next((d for d in ",;\t" if d in first_line), ",")  # a spreadsheet's own
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    claim_at, tracking_at = 0, 1
    shipments: list[Shipment] = []
    first_seen: dict[int, int] = {}
    problems: list[tuple[int, str]] = []
    try:
        for row in rows:
            cells = [cell.strip() for cell in row]
            if rows.line_num == 1 and "claim" in (cell.casefold() for cell in cells):
                claim_at, tracking_at = _columns(cells)
                continue
            claim = cells[claim_at] if claim_at < len(cells) else ""
            tracking = cells[tracking_at] if tracking_at < len(cells) else ""
            if not tracking:
                continue  # a blank line, or a claim not shipped yet
            problem = _malformed(claim, tracking)
            if problem is None and int(claim) in first_seen:
                problem = f"claim {claim} is on line {first_seen[int(claim)]} too"
            if problem is not None:
                problems.append((rows.line_num, problem))
                continue
            first_seen[int(claim)] = rows.line_num
            shipments.append(Shipment(rows.line_num, int(claim), tracking))
    except csv.Error as error:  # a field over the csv module's limit, a quote left open
        problems.append((rows.line_num, f"unreadable ({error})"))
    if problems:
        raise TrackingFileError(problems)
    if not shipments:
        raise ApplicationError("The file gives no tracking number: fill in its tracking column.")
    if len(shipments) > MAX_SHIPMENTS:
        raise ApplicationError(
            f"The file gives over {MAX_SHIPMENTS:,} tracking numbers: send it in parts."
        )
    return shipments


def _columns(header: list[str]) -> tuple[int, int]:
    names = [cell.casefold() for cell in header]
    if "tracking" not in names:
        raise TrackingFileError([(1, "the header has a claim column but no tracking column")])
    return names.index("claim"), names.index("tracking")


def _malformed(claim: str, tracking: str) -> str | None:
    if not (claim.isascii() and claim.isdigit() and len(claim) <= CLAIM_NUMBER_DIGITS):
        return f"{_quoted(claim)} is not a claim number" if claim else "no claim number"
    return tracking_problem(tracking)


def _quoted(value: str) -> str:
    return repr(value[:QUOTED]) + ("…" if len(value) > QUOTED else "")


def _refusal(shipment: Shipment, claim: Claim | None) -> str | None:
    """Why the claim cannot be marked fulfilled with this tracking number, if it cannot."""
    number = shipment.claim_id
    if claim is None:
        return f"this campaign has no claim {number}"
    if claim.status == ClaimStatus.FULFILLED:
        if claim.tracking == shipment.tracking:
            return None  # this very shipment, sent before
        return f"claim {number} was fulfilled already, with tracking number {claim.tracking!r}"
    if claim.status == ClaimStatus.RESERVED:
        return f"claim {number} is a unit held for someone on the waitlist, not claimed yet"
    if claim.status != ClaimStatus.CONFIRMED:
        return f"claim {number} is {claim.get_status_display().lower()}"
    return None
