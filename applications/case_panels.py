"""The case page's sections that apps above applications own (the evidence of DESIGN §3.11).

The case knows nothing of those apps, yet its page shows them: they register a panel here from their
`AppConfig.ready()`, as for the household page (households/panels.py), and the page renders, in
CASE_PANEL_ORDER, every panel whose provider answers with a context (None: nothing to show)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Application

CaseProvider = Callable[["HttpRequest", "Application"], "dict[str, Any] | None"]

CASE_PANEL_ORDER = ("documents",)


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    provider: CaseProvider


@dataclass(frozen=True)
class RenderedCasePanel:
    key: str
    template: str
    context: dict[str, Any]


_panels: dict[str, CasePanel] = {}


def register(*, key: str, template: str, provider: CaseProvider) -> None:
    if key not in CASE_PANEL_ORDER:
        raise ValueError(f"case panel {key!r} is not in applications.case_panels.CASE_PANEL_ORDER")
    _panels[key] = CasePanel(key=key, template=template, provider=provider)


def case_panels(request: HttpRequest, application: Application) -> list[RenderedCasePanel]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: CASE_PANEL_ORDER.index(p.key)):
        context = panel.provider(request, application)
        if context is not None:
            rendered.append(RenderedCasePanel(key=panel.key, template=panel.template, context=context))
    return rendered
