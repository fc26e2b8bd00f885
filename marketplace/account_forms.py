"""allauth's account forms with Sway's labels: sentence case and "e-mail", as every other page
says it (settings.ACCOUNT_FORMS names them)."""

from typing import Any, ClassVar

from allauth.account import forms as allauth_forms
from django import forms

EMAIL = "E-mail address"


class _SwayLabels(forms.Form):
    """Gives the fields named in `labels` that label, and that placeholder where they had one."""

    labels: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            field = self.fields[name]
            field.label = label
            if "placeholder" in field.widget.attrs:
                field.widget.attrs["placeholder"] = label


class _SamePasswordTwice(forms.Form):
    """A new password typed twice differently is said so under the second, also when the first
    is refused (too short, too common): allauth compares them only when the first is good."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "password2" not in self.fields:
            return cleaned
        first, again = self["password1"].value(), self["password2"].value()
        if again and first != again and not self.has_error("password2"):
            self.add_error("password2", "You must type the same password each time.")
        return cleaned


class LoginForm(_SwayLabels, allauth_forms.LoginForm):
    labels: ClassVar[dict[str, str]] = {"login": EMAIL, "remember": "Remember me"}


class SignupForm(_SwayLabels, _SamePasswordTwice, allauth_forms.SignupForm):
    labels: ClassVar[dict[str, str]] = {"email": EMAIL}


class AddEmailForm(_SwayLabels, allauth_forms.AddEmailForm):
    labels: ClassVar[dict[str, str]] = {"email": EMAIL}


class ResetPasswordForm(_SwayLabels, allauth_forms.ResetPasswordForm):
    labels: ClassVar[dict[str, str]] = {"email": EMAIL}


_NEW_PASSWORD = {"password1": "New password", "password2": "New password (again)"}


class ChangePasswordForm(_SwayLabels, _SamePasswordTwice, allauth_forms.ChangePasswordForm):
    labels: ClassVar[dict[str, str]] = {"oldpassword": "Current password", **_NEW_PASSWORD}


class ResetPasswordKeyForm(_SwayLabels, _SamePasswordTwice, allauth_forms.ResetPasswordKeyForm):
    labels: ClassVar[dict[str, str]] = _NEW_PASSWORD
