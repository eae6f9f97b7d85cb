"""Form helpers shared by every app's views."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .errors import DomainError, Forbidden, InvalidTransition

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Puts a service's error on the form: each message beside its field, the rest on top, so that
    what the user typed stays and every reason shows where it belongs."""
    if isinstance(error, DomainError):
        if not error.errors:
            form.add_error(None, error.message)
        for field, messages in error.errors.items():
            form.add_error(field if field in form.fields else None, messages)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(
    request: HttpRequest, call: Callable[[], T], *, form: forms.BaseForm | None = None
) -> T | None:
    """Runs a service for a view and answers its refusal where the person will see it; the one place a page
    maps a domain error.

    Returns the service's result, or None when it refused: a refusal of the person's role or scope
    (Forbidden) is the 403 page; an error about what was typed goes beside its field on `form` (the view
    shows the form again, input kept); a refused move (InvalidTransition, or any refusal when there is no
    form) becomes a message on the next page. Nothing else is caught: a bug stays a bug."""
    try:
        return call()
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except (DomainError, ValidationError) as error:
        if form is None or isinstance(error, InvalidTransition):
            messages.error(request, error.messages[0])
        else:
            add_service_errors(form, error)
        return None


def _attrs_html(attrs: Mapping[str, Any]) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's Select, the same HTML written in Python instead of one template per option. A list of the
    city's 320 villages rendered through templates took most of the household list's time (issue 12); the
    HTML is Django's own, character for character (a test compares the two)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attrs_html(option["attrs"])),  # noqa: S308 - escaped by format_html above
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html
