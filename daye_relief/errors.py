"""The one domain error of the project, and the one place that maps it to an API answer.

A service raises `DomainError` (or a subclass) when a person asked for something the rules refuse: the
code is for machines (API clients, tests), the message is Chinese for the person, the field names the
form field it concerns (None: the whole request), and `errors` carries several field messages at once.
Views put it on the form (daye_relief.forms.add_service_errors); the API answers it through
`api_exception_handler` as `{"code", "message", "field", "errors"}`. Django's own ValidationError,
raised by model and service checks, is answered in the same shape with code "invalid".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A request the rules refuse, with a code, a Chinese message and the field it concerns."""

    code = "domain_error"
    http_status: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        if not message:
            message = next((m for msgs in self.errors.values() for m in msgs), "")
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if field is None and self.errors:  # the first field named, as validation_error_json says it
            first = next(iter(self.errors))
            field = None if first == "__all__" else first
        self.field = field
        if field and message and field not in self.errors:
            self.errors[field] = [message]

    @property
    def messages(self) -> list[str]:
        return [m for msgs in self.errors.values() for m in msgs] or [self.message]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field, "errors": self.errors}


class InvalidInput(DomainError):
    """What was typed breaks a rule; `errors` says which field, each with its message."""

    code = "invalid"


class InvalidTransition(DomainError):
    """A move the stage table does not allow (someone may have taken the step already)."""

    code = "invalid_transition"
    http_status = status.HTTP_409_CONFLICT


def validation_error_json(error: ValidationError) -> dict[str, Any]:
    """Django's ValidationError in the shape of a DomainError answer."""
    if hasattr(error, "error_dict"):
        errors = {("__all__" if k == "__all__" else k): list(v) for k, v in error.message_dict.items()}
    else:
        errors = {"__all__": list(error.messages)}
    first_field = next(iter(errors), None)
    message = next((m for msgs in errors.values() for m in msgs), "")
    return {
        "code": "invalid",
        "message": message,
        "field": None if first_field == "__all__" else first_field,
        "errors": errors,
    }


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, extended: a DomainError or Django ValidationError answers with its code and
    message; DRF's own errors keep their body and gain a machine-readable `code`."""
    if isinstance(exc, DomainError):
        return Response(exc.as_json(), status=exc.http_status)
    if isinstance(exc, ValidationError):
        return Response(validation_error_json(exc), status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404 | DjangoPermissionDenied):
        exc = exceptions.NotFound() if isinstance(exc, Http404) else exceptions.PermissionDenied()
    if (
        isinstance(exc, exceptions.APIException)
        and isinstance(response.data, dict)
        and "detail" in response.data
        and "code" not in response.data
    ):
        codes = exc.get_codes()
        response.data["code"] = codes if isinstance(codes, str) else "invalid"
    return response
