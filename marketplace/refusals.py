"""How pages show a service's refusal (ApplicationError). A view runs the service and what
follows its success in a `with` block; a refusal ends the block and is shown:

    with RefusalAsMessage(request):           # as an error message on the next page
    with RefusalOnForm(form):                 # on the form, re-rendered
    with refusal:  (refusal = Refusal())      # kept in refusal.message, for the page to show
"""

from types import TracebackType
from typing import Self

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from marketplace.errors import ApplicationError


class Refusal:
    """Catches an ApplicationError raised in its block; `message` keeps what it said (None
    while nothing was refused)."""

    def __init__(self) -> None:
        self.message: str | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, ApplicationError):
            return False
        self.message = error.message
        self.show(error)
        return True

    def show(self, error: ApplicationError) -> None:
        """Where the page shows it; this one leaves that to the page, through `message`."""


class RefusalAsMessage(Refusal):
    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        self.request = request

    def show(self, error: ApplicationError) -> None:
        messages.error(self.request, error.message)


class RefusalOnForm(Refusal):
    """At the form's fields the refusal names, when the form has them all; else above them."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__()
        self.form = form

    def show(self, error: ApplicationError) -> None:
        if error.fields and set(error.fields) <= set(self.form.fields):
            for name, message in error.fields.items():
                self.form.add_error(name, message)
        else:
            self.form.add_error(None, error.message)
