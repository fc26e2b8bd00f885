class CampaignError(Exception):
    """Why a brand's, a moderator's or a claimant's action was refused, for them to read."""


class AlreadyClaimed(CampaignError):
    """The person has this perk's claim already: maybe by a twin of this very request."""

    def __init__(self, message: str = "You have claimed this perk already.") -> None:
        super().__init__(message)


class KeyReused(CampaignError):
    """An idempotency key sent again with another request: a conflict, not a repeat."""

    def __init__(self) -> None:
        super().__init__("That idempotency key was used for another claim.")


class SoldOut(CampaignError):
    def __init__(self) -> None:
        super().__init__("Sorry, this perk is sold out.")


class CodePoolError(CampaignError):
    """A code file with problems; `problems` holds each one as (line number, reason)."""

    SHOWN = 20

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        lines = [f"line {line}: {reason}" for line, reason in problems[: self.SHOWN]]
        more = len(problems) - self.SHOWN
        if more > 0:
            lines.append(f"… and {more} more")
        super().__init__("No code was added. " + "; ".join(lines) + ".")
