"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import ValidationError

from .errors import DomainError


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
