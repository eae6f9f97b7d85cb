"""The error answers of the API as the OpenAPI schema shows them (see daye_relief.errors)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """A refusal of the rules (DomainError) or of a form: `code` for machines, `message` in Chinese."""

    code = serializers.CharField(help_text="machine-readable, e.g. invalid, invalid_transition, open_case")
    message = serializers.CharField(help_text="the first reason, in Chinese")
    field = serializers.CharField(allow_null=True, help_text="the field it concerns, or null")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, popped by the metaclass
        child=serializers.ListField(child=serializers.CharField()),
        help_text="every message by field (__all__: the whole request)",
    )


class DetailErrorSerializer(serializers.Serializer):
    """DRF's own answers (not signed in, forbidden, not found), with a machine-readable code."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="e.g. not_authenticated, permission_denied, not_found")


def error_responses(**descriptions: str) -> dict[int, OpenApiResponse]:
    """Schema responses for the given status codes (`e400="…"`), each with the shape it answers in."""
    shapes = {
        400: ErrorSerializer,
        409: ErrorSerializer,
        403: DetailErrorSerializer,
        404: DetailErrorSerializer,
    }
    responses = {}
    for key, description in descriptions.items():
        code = int(key.removeprefix("e"))
        responses[code] = OpenApiResponse(
            response=shapes.get(code, DetailErrorSerializer), description=description
        )
    return responses
