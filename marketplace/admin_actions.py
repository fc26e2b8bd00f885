"""What the apps' admin actions share: doing something to each selected row, and an
intermediate page that asks one more thing (a reason, a target) first."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from marketplace.errors import ApplicationError


def apply_each(
    request: HttpRequest, rows: QuerySet[Any], done: str, act: Callable[[Any], None]
) -> None:
    """`act` on each row; say how many it changed ("Approved: 2.") and why any were refused."""
    changed = 0
    for row in rows:
        try:
            act(row)
        except ApplicationError as refused:
            messages.error(request, f"{row}: {refused.message}")
        else:
            changed += 1
    if changed:
        messages.success(request, f"{done}: {changed}.")


def ask_first(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    rows: QuerySet[Any],
    form: forms.Form,
    *,
    action: str,
    title: str,
    intro: str,
) -> TemplateResponse:
    """The page that asks `form` about the selected rows, then posts back to `action`."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": model_admin.model._meta,
        "form": form,
        "media": model_admin.media + form.media,
        "rows": rows,
        "action": action,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/action_form.html", context)
