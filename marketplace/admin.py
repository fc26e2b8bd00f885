from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from marketplace.admin_actions import apply_each
from marketplace.api_keys.services import api_key_create, api_key_revoke
from marketplace.models import ApiKey, ApiScope, User, WorkerHeartbeat

admin.site.site_header = "Sway administration"
admin.site.site_title = "Sway admin"
admin.site.index_title = "Topics, campaigns, people and keys"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Written by workers only: an added one, with nothing to fill in, could not be saved."""

    list_display = ("source", "seen_at")
    readonly_fields = ("source", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ApiKeyForm(forms.ModelForm):
    brand_id = forms.IntegerField(
        required=False, min_value=1, help_text="For a brand-write key: the brand's number."
    )

    class Meta:
        model = ApiKey
        fields = ("name", "scope", "brand_id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("scope") == ApiScope.BRAND_WRITE) != (data.get("brand_id") is not None):
            raise forms.ValidationError("A brand-write key names one brand; a read key none.")
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made here (shown once, then only their first characters) and revoked."""

    form = ApiKeyForm
    list_display = (
        "name",
        "prefix",
        "scope",
        "brand_id",
        "created_at",
        "last_used_on",
        "revoked_at",
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix")
    actions = ("revoke",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, so that its use stays on record

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        made = api_key_create(
            name=obj.name,
            scope=ApiScope(obj.scope),
            brand_id=obj.brand_id,
            created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = made.api_key.pk
        messages.warning(request, f"The new key, shown this once: {made.key}")

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        apply_each(request, queryset, "Revoked", lambda key: api_key_revoke(api_key=key))
