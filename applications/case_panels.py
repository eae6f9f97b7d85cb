"""The case page's sections that apps above applications own (the evidence of DESIGN §3.11), registered
from their `AppConfig.ready()` (daye_relief.panels)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from daye_relief.panels import PanelRegistry

if TYPE_CHECKING:
    from .models import Application

CASE_PANELS: PanelRegistry[Application] = PanelRegistry("case", ("online", "documents"))
# The workbench's sections that apps above applications own (the online applications waiting, DESIGN §3.12).
WORKBENCH_PANELS: PanelRegistry[None] = PanelRegistry("workbench", ("online",))
