"""The one domain error of the project, and the one place that maps it to an API answer.

A service raises `DomainError` (or a subclass) when a person asked for something the rules refuse: the
code is for machines (API clients, tests), the message is Chinese for the person, the field names the
form field it concerns (None: the whole request), and `errors` carries several field messages at once.
Views put it on the form (daye_relief.forms.add_service_errors); the API answers it through
`api_exception_handler` as `{"code", "message", "field", "errors"}`. Django's own ValidationError,
raised by model and service checks, is answered in the same shape with code "invalid".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ErrorCode(StrEnum):
    """Every code a refusal answers with, in one list: API clients and tests read these, so a code is
    added here, never typed as a bare string at the raise."""

    ALREADY_EXPLAINED = "already_explained"
    ALREADY_MATCHED = "already_matched"
    AMOUNT_DATE_BEFORE = "amount_date_before"
    AMOUNT_NEGATIVE = "amount_negative"
    AMOUNT_NOT_CASH = "amount_not_cash"
    AMOUNT_REQUIRED = "amount_required"
    APPLICANT_OF_OPEN_CASE = "applicant_of_open_case"
    AREA_MISMATCH = "area_mismatch"
    ASSISTANCE_REFUSED = "assistance_refused"
    BAD_CSV = "bad_csv"
    BAD_FILE_TYPE = "bad_file_type"
    BAD_JSON = "bad_json"
    BAD_PERIOD = "bad_period"
    BAD_XLSX = "bad_xlsx"
    DATASET_NOT_YOURS = "dataset_not_yours"
    DATE_IN_FUTURE = "date_in_future"
    DESCRIPTION_REQUIRED = "description_required"
    DOCUMENT_LOCKED = "document_locked"
    DOMAIN_ERROR = "domain_error"
    EMPTY_FILE = "empty_file"
    END_BEFORE_START = "end_before_start"
    END_INVALID = "end_invalid"
    END_REASON_INVALID = "end_reason_invalid"
    ENROLLED = "enrolled"
    ENROLLED_USE_ADJUSTMENT = "enrolled_use_adjustment"
    ENROLLMENT_ENDED = "enrollment_ended"
    ENROLLMENT_EXISTS = "enrollment_exists"
    ENROLLMENT_REFUSED = "enrollment_refused"
    EXPLANATION_REQUIRED = "explanation_required"
    EXPLANATION_TOO_LONG = "explanation_too_long"
    EXPORT_FORBIDDEN = "export_forbidden"
    FILE_TOO_LARGE = "file_too_large"
    FILE_UNUSABLE = "file_unusable"
    FORBIDDEN = "forbidden"
    GRADUAL_EXIT_CATEGORY = "gradual_exit_category"
    GRADUAL_EXIT_DATE = "gradual_exit_date"
    GRADUAL_EXIT_EXISTS = "gradual_exit_exists"
    GRADUAL_EXIT_NOT_FROM_WORK = "gradual_exit_not_from_work"
    ID_NUMBER_REGISTERED = "id_number_registered"
    INSECURE_SOURCE = "insecure_source"
    INVALID = "invalid"
    INVALID_TRANSITION = "invalid_transition"
    KIND_INVALID = "kind_invalid"
    KIND_MISMATCH = "kind_mismatch"
    MATCH_NOT_OPEN = "match_not_open"
    MEMBER_NOT_ALLOWED = "member_not_allowed"
    MEMBER_NOT_IN_HOUSEHOLD = "member_not_in_household"
    MEMBER_REQUIRED = "member_required"
    MISSING_COLUMN = "missing_column"
    NEED_DONE = "need_done"
    NO_DEPARTMENT = "no_department"
    NO_FILE = "no_file"
    NO_PARAMETERS = "no_parameters"
    NOT_ENROLLED = "not_enrolled"
    NOT_MANUAL = "not_manual"
    NOT_TEMPORARY = "not_temporary"
    NOTICE_CASES_INVALID = "notice_cases_invalid"
    NOTICE_ITEM_LEFT = "notice_item_left"
    NOTICE_LOCKED = "notice_locked"
    NOTICE_WINDOW_CLOSED = "notice_window_closed"
    NOTICE_WINDOW_OPEN = "notice_window_open"
    OPEN_CASE = "open_case"
    PARAMETER_OVERLAP = "parameter_overlap"
    PROPOSAL_ALREADY_DECIDED = "proposal_already_decided"
    PROPOSAL_OTHER_BUREAU = "proposal_other_bureau"
    REASON_REQUIRED = "reason_required"
    REASON_TOO_LONG = "reason_too_long"
    RESOURCE_INACTIVE = "resource_inactive"
    RUN_NOT_RESTARTABLE = "run_not_restartable"
    SNAPSHOT_INVALID = "snapshot_invalid"
    SOCIAL_FORCES_REFUSED = "social_forces_refused"
    SOURCE_INVALID = "source_invalid"
    TEMPORARY_HAS_OWN_FORM = "temporary_has_own_form"
    TOWNS_INVALID = "towns_invalid"
    TOWNS_REQUIRED = "towns_required"
    UNDECODABLE = "undecodable"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_DATASET = "unknown_dataset"
    UNSAFE_PDF = "unsafe_pdf"


class DomainError(Exception):
    """A request the rules refuse, with a code, a Chinese message and the field it concerns."""

    code: str = ErrorCode.DOMAIN_ERROR
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

    code: str = ErrorCode.INVALID


class Forbidden(DomainError):
    """The person's role or scope does not allow this on this object. Pages answer it with the 403 page,
    the API with 403; where the object itself must stay unseen, answer 404 before reaching a service."""

    code: str = ErrorCode.FORBIDDEN
    http_status = status.HTTP_403_FORBIDDEN


class InvalidTransition(DomainError):
    """A move the stage table does not allow (someone may have taken the step already)."""

    code: str = ErrorCode.INVALID_TRANSITION
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
        "code": ErrorCode.INVALID.value,
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
