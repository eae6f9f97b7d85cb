"""The visit pages' sections that apps above monitoring draw (the visit's photos: DESIGN §3.11)."""

from __future__ import annotations

from typing import Any

from daye_relief.panels import PanelRegistry

# The visit form: a panel is drawn for the household visited and takes its fields once the visit is saved.
VISIT_FORM_PANELS: PanelRegistry[Any] = PanelRegistry("visit form", ("photos",))
# The visit's own page.
VISIT_PANELS: PanelRegistry[Any] = PanelRegistry("visit", ("photos",))
