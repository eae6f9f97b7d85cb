"""The journal in the admin: to read, never to add, change or delete (DESIGN §3.13)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ChainBreak, Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "object_kind", "object_id", "client")
    list_filter = ("action",)
    search_fields = ("username",)
    date_hierarchy = "at"

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
