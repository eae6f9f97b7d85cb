"""Django's password change page, with its journal row (DESIGN §3.13)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from . import services
from .codes import Action, ObjectKind


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.note(
            self.request, Action.PASSWORD_CHANGE, object_kind=ObjectKind.USER, object_id=self.request.user.pk
        )
        return response
