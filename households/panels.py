"""The household page's sections that other apps own (cases, warnings, visits, checks, assistance).

A household knows no case and no warning (the whiteboard's `never` list), yet its page shows them. So the
apps above households register a panel here from their `AppConfig.ready()`, and the page renders, in
order, every panel whose provider answers with a context. A provider reads in the viewer's scope and
answers ``None`` when it has nothing to show, so that an empty section is not drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Household

Provider = Callable[["HttpRequest", "Household"], "dict[str, Any] | None"]


# The order of the panels on the page, below the household's own sections (enrollments, members,
# records): one list, so that no app picks a number against the others'.
PANEL_ORDER = ("cases", "documents", "assistance", "visits", "social_needs", "checks", "readers")


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    provider: Provider

    @property
    def order(self) -> int:
        return PANEL_ORDER.index(self.key)


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register(*, key: str, template: str, provider: Provider) -> None:
    """Register (or replace, on a second `ready()`) the panel `key`, which PANEL_ORDER places."""
    if key not in PANEL_ORDER:
        raise ValueError(f"panel {key!r} is not in households.panels.PANEL_ORDER")
    _panels[key] = Panel(key=key, template=template, provider=provider)


def household_panels(request: HttpRequest, household: Household) -> list[RenderedPanel]:
    """The panels to draw on `household`'s page for this viewer, in order; those with nothing left out."""
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.provider(request, household)
        if context is not None:
            rendered.append(RenderedPanel(key=panel.key, template=panel.template, context=context))
    return rendered
