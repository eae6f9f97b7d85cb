"""What apps above households hear of a household's own changes. Today one: a household moved to a village
of another town (household_update), which rows that keep the household's town (monitoring's warnings)
follow. Listeners register from their AppConfig.ready() and run in the move's transaction."""

from __future__ import annotations

from collections.abc import Callable

from .models import Household

_moved: dict[str, Callable[[Household], None]] = {}


def listen_moved(key: str, callback: Callable[[Household], None]) -> None:
    """Registers (or, on a second `ready()`, replaces) the listener `key` of a move to another town."""
    _moved[key] = callback


def household_moved(household: Household) -> None:
    for callback in _moved.values():
        callback(household)
