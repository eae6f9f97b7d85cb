"""Whether the menu offers 访问留痕 (each page checks again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import may_read


def journal_menu(request: HttpRequest) -> dict[str, Any]:
    return {"journal_menu": hasattr(request, "user") and may_read(request.user)}
