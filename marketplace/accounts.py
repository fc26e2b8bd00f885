"""Signing in (allauth's account adapter): whether this session's sign-in is the account's
first, which the home page's greeting needs. Django overwrites `last_login` as it signs
someone in, so the fact is kept in the session from just before. allauth's e-mails speak as
Sway: they name it by settings.SITE_NAME, not by the host the request came to, and end with the
contact page."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse

RETURNING = "returning"  # session key: the account had signed in before this session


class AccountAdapter(DefaultAccountAdapter):
    # allauth's forms (the login form's included) take their errors from here.
    error_messages = DefaultAccountAdapter.error_messages | {
        "email_password_mismatch": "The e-mail address or password is not right.",
    }

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        returning = user.last_login is not None
        super().login(request, user)
        request.session[RETURNING] = returning

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Links are made like allauth's own (the request's host), so they all lead to one place.
        contact_url = build_absolute_uri(allauth_context.request, reverse("contact"))
        sway = {"site_name": settings.SITE_NAME, "contact_url": contact_url}
        super().send_mail(template_prefix, email, sway | context)


def is_returning(request: HttpRequest) -> bool:
    """Whether the signed-in visitor had signed in before this session; False when unknown
    (a session not begun by allauth's sign-in)."""
    return bool(request.session.get(RETURNING, False))
