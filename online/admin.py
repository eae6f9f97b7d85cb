"""Admin: the external channels' tokens (the key is shown once, on creation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.actors import signed_in

from .channels import channel_create
from .models import ExternalChannel


class ExternalChannelForm(forms.ModelForm):
    class Meta:
        model = ExternalChannel
        fields = ("name", "expires_on", "revoked")


@admin.register(ExternalChannel)
class ExternalChannelAdmin(SimpleHistoryAdmin):
    form = ExternalChannelForm
    list_display = ("name", "prefix", "created_at", "expires_on", "last_used_at", "revoked")
    list_filter = ("revoked",)
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: ExternalChannel, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        channel, key = channel_create(
            name=obj.name, expires_on=obj.expires_on, acting_user=signed_in(request)
        )
        obj.pk, obj.prefix, obj.digest, obj.expires_on = (
            channel.pk,
            channel.prefix,
            channel.digest,
            channel.expires_on,
        )
        messages.warning(request, f"渠道令牌（只显示这一次，请妥善交给{obj.name}）：{key}")
