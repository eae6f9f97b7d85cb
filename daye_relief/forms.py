"""Form helpers shared by every app's views."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .errors import DomainError, InvalidTransition

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
    """Runs a service for a view and answers its refusal where the person will see it.

    Returns the service's result, or None when it refused: an error about what was typed goes beside its
    field on `form` (the view shows the form again, input kept); a refused move (InvalidTransition, or any
    refusal when there is no form) becomes a message on the next page. Nothing else is caught: a bug
    stays a bug."""
    try:
        return call()
    except (DomainError, ValidationError) as error:
        if form is None or isinstance(error, InvalidTransition):
            messages.error(request, error.messages[0])
        else:
            add_service_errors(form, error)
        return None
