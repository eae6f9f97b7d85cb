"""GET /api/v1/workdays/add/: the date N working days after a start date (DESIGN §3.4, §3.5). Public."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .calendar import OutOfCalendarRange
from .selectors import deadline_after

MAX_DAYS = 400
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
INTEGER_PATTERN = re.compile(r"[+-]?[0-9]+")


class DeadlineSerializer(serializers.Serializer):
    """Only describes the answer for the schema."""

    date = serializers.DateField(help_text="开始日期之后第N个工作日")
    provisional = serializers.BooleanField(
        help_text="为true时，所用年份的放假安排尚未公布或未录入，结果按周末和法定节假日推算，仅供参考"
    )


def _error(path: str, code: str, message: str) -> dict[str, str]:
    return {"path": path, "code": code, "message": message}


def _parse_start(raw: str | None) -> tuple[date | None, dict[str, str] | None]:
    if raw is None or not raw.strip():
        return None, _error("start", "required", "请提供开始日期 start，格式为YYYY-MM-DD。")
    text = raw.strip()
    if DATE_PATTERN.fullmatch(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    return None, _error(
        "start", "invalid", f"开始日期“{text}”不是有效日期，格式应为YYYY-MM-DD，例如2025-09-28。"
    )


def _parse_days(raw: str | None) -> tuple[int | None, dict[str, str] | None]:
    if raw is None or not raw.strip():
        return None, _error("days", "required", "请提供工作日天数 days（0至400的整数）。")
    text = raw.strip()
    if not INTEGER_PATTERN.fullmatch(text):
        return None, _error("days", "invalid", f"工作日天数“{text}”不是整数。")
    digits = text.lstrip("+-").lstrip("0") or "0"
    negative = text.startswith("-") and digits != "0"
    if negative:
        return None, _error("days", "min_value", "工作日天数不能小于0。")
    if len(digits) > len(str(MAX_DAYS)) or int(digits) > MAX_DAYS:
        return None, _error("days", "max_value", f"工作日天数不能大于{MAX_DAYS}。")
    return int(digits), None


class WorkdayAddView(APIView):
    """The `days`-th working day after `start`; the start day itself does not count."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=True,
                description="开始日期（YYYY-MM-DD），当天不计入，例如受理日期。",
            ),
            OpenApiParameter(
                "days",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description=f"工作日天数，0至{MAX_DAYS}的整数；0表示开始日期本身。",
            ),
        ],
        responses={
            200: DeadlineSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='Every error with its parameter: {"errors": [{"path", "code", "message"}]}',
            ),
        },
        examples=[
            OpenApiExample(
                "5 working days after 2025-09-28",
                response_only=True,
                status_codes=["200"],
                value={"date": "2025-10-11", "provisional": False},
            )
        ],
        summary="Add working days to a date (工作日计算)",
        tags=["workdays"],
    )
    def get(self, request: Request) -> Response:
        start, start_error = _parse_start(request.query_params.get("start"))
        days, days_error = _parse_days(request.query_params.get("days"))
        errors = [error for error in (start_error, days_error) if error is not None]
        if errors:
            return Response({"errors": errors}, status=400)
        assert start is not None
        assert days is not None
        try:
            deadline = deadline_after(start=start, working_days=days)
        except OutOfCalendarRange:
            return Response(
                {"errors": [_error("start", "out_of_range", "开始日期太晚，结果超出可计算的日期范围。")]},
                status=400,
            )
        return Response({"date": deadline.date.isoformat(), "provisional": deadline.provisional})
