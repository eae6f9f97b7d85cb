"""Admin: department API tokens (the key is shown once, on creation), sync sources, and read-only views
of imports and warnings for the administrator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.actors import signed_in
from accounts.models import OrgUnit

from .models import ApiToken, DatasetImport, SyncSource, Warning
from .services.tokens import api_token_create


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("department", "name", "expires_on", "revoked")


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    form = ApiTokenForm
    list_display = ("department", "name", "prefix", "created_at", "expires_on", "last_used_at", "revoked")
    list_filter = ("revoked", "department")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["department"].queryset = OrgUnit.objects.filter(kind="department")
        if obj is not None:
            form.base_fields["department"].disabled = True
        return form

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = api_token_create(
            department=obj.department,
            name=obj.name,
            expires_on=obj.expires_on,
            acting_user=signed_in(request),
        )
        obj.pk, obj.prefix, obj.digest, obj.expires_on = (
            token.pk,
            token.prefix,
            token.digest,
            token.expires_on,
        )
        messages.warning(request, f"接口令牌（只显示这一次，请妥善交给{obj.department.name}）：{key}")


@admin.register(SyncSource)
class SyncSourceAdmin(SimpleHistoryAdmin):
    list_display = ("dataset", "location", "enabled")
    list_filter = ("enabled",)


@admin.register(DatasetImport)
class DatasetImportAdmin(admin.ModelAdmin):
    list_display = (
        "dataset",
        "period",
        "department",
        "channel",
        "status",
        "rows",
        "matched",
        "warnings_created",
    )
    list_filter = ("dataset", "status", "period")
    exclude = ("file", "rejected_values")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Warning)
class WarningAdmin(SimpleHistoryAdmin):
    list_display = ("type", "severity", "household", "assignee", "due_on", "status", "escalated_on")
    list_filter = ("type", "status", "severity")
    raw_id_fields = ("household", "member", "source_row")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
