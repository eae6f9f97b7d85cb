"""POST /api/v1/eligibility/evaluate/: the public self-check (自助测算) contract of DESIGN §5."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .evaluation import MAX_BODY_BYTES, evaluate_submitted, parse_submitted, too_large
from .throttling import SCOPE, SelfCheckThrottle


class EvaluateView(APIView):
    """Takes a household snapshot (schema household-snapshot/1) and gives the evaluation. Stores nothing.

    Every refusal is a 400 answered by the project's exception handler from `EvaluationRefused`:
    `{"code", "message", "field": null, "errors": [{"path", "code", "message"}]}`.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SelfCheckThrottle]
    throttle_scope = SCOPE

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The evaluation (DESIGN §5)."),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    'Every error with its JSON path: {"code", "message", "field": null, "errors": '
                    '[{"path", "code", "message"}]}. Also for a body over 64 KB, text that is not UTF-8 '
                    "JSON, nesting too deep, integers over 15 digits and unpaired surrogates."
                ),
            ),
            429: OpenApiResponse(description="Too many requests from this client."),
        },
        examples=[
            OpenApiExample(
                "One elderly person",
                request_only=True,
                value={
                    "schema": "household-snapshot/1",
                    "as_of": "2026-03-01",
                    "hukou_type": "rural",
                    "members": [
                        {
                            "ref": "a",
                            "relation": "applicant",
                            "birth_date": "1950-04-02",
                            "labor_capacity": "none",
                            "annual_income": "3600",
                        }
                    ],
                },
            )
        ],
        summary="Evaluate a household snapshot (自助测算)",
        tags=["eligibility"],
    )
    def post(self, request: Request) -> Response:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            raise too_large()
        data = parse_submitted(request.body)
        return Response(evaluate_submitted(data).to_json())
