"""The notice page's sections that apps above publicity draw (the board photo: DESIGN §3.11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from daye_relief.panels import PanelRegistry

if TYPE_CHECKING:
    from .models import Notice

NOTICE_PANELS: PanelRegistry[Notice] = PanelRegistry("notice", ("board_photo",))
