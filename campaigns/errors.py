"""The refusals of campaigns that their callers tell apart; any other is an ApplicationError."""

from marketplace.errors import ApplicationError


class AlreadyClaimed(ApplicationError):
    """The person has this perk's claim already: maybe by a twin of this very request."""

    def __init__(self, message: str = "You have claimed this perk already.") -> None:
        super().__init__(message)


class KeyReused(ApplicationError):
    """An idempotency key sent again with another request: a conflict, not a repeat."""

    status = 409

    def __init__(self) -> None:
        super().__init__("That idempotency key was used for another claim.")


class SoldOut(ApplicationError):
    def __init__(self) -> None:
        super().__init__("Sorry, this perk is sold out.")


class FileLinesError(ApplicationError):
    """An uploaded file with problems, of which nothing was used; `problems` holds each one as
    (line number, reason)."""

    SHOWN = 20
    NOTHING_DONE = "Nothing was done."

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        lines = [f"line {line}: {reason}" for line, reason in problems[: self.SHOWN]]
        more = len(problems) - self.SHOWN
        if more > 0:
            lines.append(f"… and {more} more")
        super().__init__(f"{self.NOTHING_DONE} " + "; ".join(lines) + ".")


class CodePoolError(FileLinesError):
    """A code file with problems."""

    NOTHING_DONE = "No code was added."


class TrackingFileError(FileLinesError):
    """A file of tracking numbers with problems."""

    NOTHING_DONE = "No claim was marked fulfilled."


class BrandRefused(ApplicationError):
    """An actor may not do this for a brand: refused in the same words whether they do not act
    for it at all or act in too low a role, so that brand ids cannot be probed."""

    def __init__(self) -> None:
        super().__init__("You cannot do this for that brand.")


class NotActingForBrand(BrandRefused):
    """Neither a member of the brand nor its key: to them the brand does not exist."""


class RoleTooLow(BrandRefused):
    """Acting for the brand, in a role that does not allow this."""
