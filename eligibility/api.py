"""POST /api/v1/eligibility/evaluate/: the public self-check (自助测算) contract of DESIGN §5."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .evaluation import EvaluationRefused, evaluate_submitted


class EvaluateView(APIView):
    """Takes a household snapshot (schema household-snapshot/1) and gives the evaluation. Stores nothing."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "self_check"

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The evaluation (DESIGN §5)."),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='Every error with its JSON path: {"errors": [{"path", "code", "message"}]}',
            ),
            429: OpenApiResponse(description="Too many requests from this address."),
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
            data = json.loads(request.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return Response(
                {
                    "errors": [
                        {"path": "$", "code": "invalid_json", "message": f"请求内容不是有效的JSON：{exc}"}
                    ]
                },
                status=400,
            )
        try:
            return Response(evaluate_submitted(data).to_json())
        except EvaluationRefused as exc:
            return Response({"errors": exc.errors}, status=400)
