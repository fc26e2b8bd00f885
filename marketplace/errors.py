"""The one error a service raises to refuse what someone asked, saying why in words for them.
The API answers it in its error shape (marketplace.api_errors); pages show it on the form, as
a message or in place (marketplace.refusals)."""

from collections.abc import Mapping
from typing import ClassVar


class ApplicationError(Exception):
    """`message` says why; `fields`, when the refusal is about particular inputs, names each
    (by the service's argument or the form's field) with what is wrong with it."""

    status: ClassVar[int] = 400  # what the API answers it with

    def __init__(self, message: str, *, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
