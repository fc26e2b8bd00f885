"""A service's refusal (ApplicationError), as the pages show it and as the API answers it."""

import pytest
from django import forms

from marketplace.api_errors import api_exception_handler
from marketplace.errors import ApplicationError
from marketplace.refusals import Refusal, RefusalOnForm


class HandleForm(forms.Form):
    handle = forms.CharField()


class Taken(ApplicationError):
    status = 409


def test_a_refusal_is_kept_for_the_page_and_nothing_else_is():
    with Refusal() as granted:
        pass
    with Refusal() as refused:
        raise ApplicationError("Not now.")

    assert (granted.message, refused.message) == (None, "Not now.")


def test_what_is_not_a_refusal_goes_through():
    with pytest.raises(ValueError, match="a bug"), Refusal():
        raise ValueError("a bug, not a refusal")


def test_a_refusal_naming_the_forms_fields_is_said_at_them():
    form = HandleForm({"handle": "twitter:@alice"})
    assert form.is_valid()

    with RefusalOnForm(form):
        raise ApplicationError("Hidden already.", fields={"handle": "Hidden already."})

    assert (form.errors["handle"], form.non_field_errors()) == (["Hidden already."], [])


@pytest.mark.parametrize("fields", [{}, {"handle": "Taken.", "address": "Missing."}])
def test_a_refusal_the_form_cannot_place_is_said_above_its_fields(fields):
    form = HandleForm({"handle": "twitter:@alice"})
    assert form.is_valid()

    with RefusalOnForm(form):
        raise ApplicationError("Taken, and no address.", fields=fields)

    assert (form.non_field_errors(), "handle" in form.errors) == (["Taken, and no address."], False)


def test_the_api_answers_a_refusal_in_its_shape_with_its_status_and_fields():
    plain = api_exception_handler(ApplicationError("Not now."), {})
    taken = api_exception_handler(Taken("Taken.", fields={"handle": "Taken."}), {})

    assert plain is not None
    assert taken is not None
    assert (plain.status_code, plain.data) == (400, {"error": 400, "description": "Not now."})
    assert (taken.status_code, taken.data) == (
        409,
        {"error": 409, "description": "Taken.", "fields": {"handle": "Taken."}},
    )
