"""The journal in the admin: to read, never to add, change or delete (DESIGN §3.13)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.glossary import Role

from .models import Archive, ChainBreak, Entry
from .selectors import detail_text

ROLE_LABELS = dict(Role.choices)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_kind", "object_id", "client")
    list_filter = ("action",)
    search_fields = ("username",)
    date_hierarchy = "at"
    # Read in words: the roles by name, the details as a sentence; the chain's hashes are the daily
    # verification's business (journal.chain), not the reader's.
    fields = (
        "at",
        "username",
        "role_names",
        "client",
        "action",
        "object_kind",
        "object_id",
        "household_id",
        "town_id",
        "detail_text",
    )
    readonly_fields = fields

    @admin.display(description="当时的角色")
    def role_names(self, obj: Entry) -> str:
        return "、".join(ROLE_LABELS.get(code, code) for code in obj.roles.split(",") if code)

    @admin.display(description="详情")
    def detail_text(self, obj: Entry) -> str:
        return detail_text(obj.detail)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChainBreak)
class ChainBreakAdmin(admin.ModelAdmin):
    list_display = ("found_at", "first_id", "count", "resolved")
    readonly_fields = ("found_at", "first_id", "count", "ids")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Archive)
class ArchiveAdmin(admin.ModelAdmin):
    list_display = ("created_at", "first_id", "last_id", "count", "until", "sha256")
    readonly_fields = ("created_at", "first_id", "last_id", "count", "until", "sha256", "last_hash", "file")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
