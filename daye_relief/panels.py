"""Sections of a page that an app above the page's own app draws (the case page's documents, the notice's
board photo, a visit's photos): one registry per page, filled from the owning apps' `AppConfig.ready()`.

The page's app knows nothing of the app above it (the layers of the whiteboard), yet its page shows that
app's section: it renders, in the registry's order, every panel whose provider answers with a context
(None: nothing to show). A panel may also take what its section's fields sent with the page's own form
(`taken`), after the page's service has saved its object: a visit's photos are sent with the visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from django.http import HttpRequest

T = TypeVar("T")


@dataclass(frozen=True)
class Panel(Generic[T]):
    key: str
    template: str
    provider: Callable[[HttpRequest, T], dict[str, Any] | None]
    taken: Callable[[HttpRequest, T], None] | None = None


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: dict[str, Any]


class PanelRegistry(Generic[T]):
    def __init__(self, page: str, order: tuple[str, ...]) -> None:
        self.page, self.order = page, order
        self._panels: dict[str, Panel[T]] = {}

    def register(
        self,
        *,
        key: str,
        template: str,
        provider: Callable[[HttpRequest, T], dict[str, Any] | None],
        taken: Callable[[HttpRequest, T], None] | None = None,
    ) -> None:
        """Register (or replace, on a second `ready()`) the panel `key`, which the order places."""
        if key not in self.order:
            raise ValueError(f"panel {key!r} is not in the order of the {self.page} page")
        self._panels[key] = Panel(key=key, template=template, provider=provider, taken=taken)

    def _in_order(self) -> list[Panel[T]]:
        return sorted(self._panels.values(), key=lambda p: self.order.index(p.key))

    def render(self, request: HttpRequest, obj: T) -> list[RenderedPanel]:
        rendered = []
        for panel in self._in_order():
            context = panel.provider(request, obj)
            if context is not None:
                rendered.append(RenderedPanel(key=panel.key, template=panel.template, context=context))
        return rendered

    def take(self, request: HttpRequest, obj: T) -> None:
        """Each panel takes its fields of the page's form, once the page's object is saved."""
        for panel in self._in_order():
            if panel.taken is not None:
                panel.taken(request, obj)
