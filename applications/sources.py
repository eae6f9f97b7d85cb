"""What an adjustment case's `source` ("warning:12", "check:3") stands for, told by the app that owns it.

The case side knows no monitoring (the whiteboard forbids the import); the owning app registers, from its
AppConfig.ready(), a describer for its prefix that answers the source's Chinese label and, for a user who
may read it, a link. A source no app describes is shown as it is stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SourceView:
    label: str
    url: str = ""  # empty: this user may not open it


Describer = Callable[[Any, int], SourceView | None]
_DESCRIBERS: dict[str, Describer] = {}


def register_source(prefix: str, describe: Describer) -> None:
    """`describe(user, pk)` answers the source's label and the link this user may follow, or None
    when the record is gone."""
    _DESCRIBERS[prefix] = describe


def describe_source(user: Any, source: str) -> SourceView | None:
    if not source:
        return None
    prefix, _, key = source.partition(":")
    describe = _DESCRIBERS.get(prefix)
    if describe is not None and key.isdigit():
        found = describe(user, int(key))
        if found is not None:
            return found
    return SourceView(label=source)
