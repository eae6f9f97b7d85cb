"""What a browser would send for a page's form as it stands: each input's value, the checked boxes, each
select's selected option, each textarea's text (for pages that come prefilled, like the clerk's intake of an
online application)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormValues(HTMLParser):
    def __init__(self, form_index: int) -> None:
        super().__init__(convert_charrefs=True)
        self.form_index, self.forms_seen, self.inside = form_index, -1, False
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None
        self.text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms_seen += 1
            self.inside = self.forms_seen == self.form_index
        if not self.inside or ("name" not in a and tag not in ("option",)):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("file", "submit", "button"):
                self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a["name"], None, False
        elif tag == "option" and self.select is not None:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self._add(self.select, a.get("value", ""))
                self.select_chosen = True
        elif tag == "textarea":
            self.textarea, self.text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            if not self.select_chosen and self.select_first is not None:
                self._add(self.select, self.select_first)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)


def form_values(html: str, form_index: int = 0, **changes: Any) -> dict[str, Any]:
    """The values of the page's `form_index`-th form (0: the first), with `changes` on top."""
    parser = _FormValues(form_index)
    parser.feed(html)
    values: dict[str, Any] = {k: v if len(v) > 1 else v[0] for k, v in parser.values.items()}
    values.update(changes)
    return values
