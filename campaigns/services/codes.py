"""A campaign's pool of codes, uploaded as CSV: one code a line, in the first column."""

import csv
import io
from collections.abc import Iterable

from django.db import transaction

from campaigns.errors import CodePoolError
from campaigns.lock_objects import campaign_lock
from campaigns.models import CODE_LENGTH, Campaign, CampaignStatus, Code, Role
from campaigns.selectors.roles import Actor, role_require
from marketplace.errors import ApplicationError

MAX_FILE_BYTES = 5 * 1024 * 1024


def read_codes(lines: Iterable[str], taken: set[str]) -> list[str]:
    """The codes of a CSV file's lines; every blank, unprintable, duplicate, over-long or
    already-pooled one is reported with its line number, and then none is returned."""
    codes: list[str] = []
    first_seen: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    for number, row in enumerate(csv.reader(lines), start=1):
        code = row[0].strip() if row else ""
        if number == 1 and code.casefold() == "code":
            continue  # a header
        if not code:
            problems.append((number, "blank"))
        elif not code.isprintable():
            problems.append((number, f"{code!r} holds a control character"))
        elif len(code) > CODE_LENGTH:
            problems.append((number, f"longer than {CODE_LENGTH} characters"))
        elif code in first_seen:
            problems.append((number, f"{code!r} repeats line {first_seen[code]}"))
        elif code in taken:
            problems.append((number, f"{code!r} is in the pool already"))
        else:
            first_seen[code] = number
            codes.append(code)
    if problems:
        raise CodePoolError(problems)
    if not codes:
        raise ApplicationError("The file holds no code.")
    return codes


@transaction.atomic
def codes_upload(*, actor: Actor, campaign: Campaign, data: bytes) -> int:
    """Add a CSV file's codes to the pool, all or none. Returns how many were added."""
    role_require(actor=actor, brand_id=campaign.brand_id, at_least=Role.MANAGER)
    if campaign.status == CampaignStatus.ENDED:
        raise ApplicationError("The campaign has ended.")
    if len(data) > MAX_FILE_BYTES:
        raise ApplicationError(f"The file is over {MAX_FILE_BYTES // 2**20} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(f"The file is not UTF-8 text (byte {error.start}).") from error
    campaign_lock(campaign.pk).get()  # one upload at a time
    taken = set(campaign.codes.values_list("code", flat=True))
    codes = read_codes(io.StringIO(text, newline=""), taken)
    Code.objects.bulk_create((Code(campaign=campaign, code=c) for c in codes), batch_size=5000)
    return len(codes)
