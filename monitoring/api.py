"""The monitoring API (DESIGN §5): imports by a department's token (or session), warnings in scope,
feedback on a department's own warnings."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import (
    department_ids,
    sees_warning_full_ids,
    sees_warning_household_in_full,
    warning_read_filter,
)
from accounts.actors import DepartmentClient, api_actor
from households.idnumbers import mask
from journal import services as journal
from journal.codes import Action, ObjectKind

from .glossary import ImportChannel
from .models import Warning
from .parsing import FileUnusable
from .selectors.warnings import warning_list
from .services.imports import check_department_may_deliver, dataset_for, dataset_import_now
from .services.tokens import api_token_find
from .services.warnings import warning_feedback


class DepartmentTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[DepartmentClient, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("接口令牌格式不对。")
        token = api_token_find(parts[1].decode(errors="replace"))
        if token is None:
            raise AuthenticationFailed("接口令牌无效、已过期或已停用。")
        return DepartmentClient(token), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


AUTHENTICATION = [DepartmentTokenAuthentication, SessionAuthentication]


class DepartmentTokenScheme(OpenApiAuthenticationExtension):
    target_class = DepartmentTokenAuthentication
    name = "departmentToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <部门接口令牌>",
        }


def journal_api(request: Request, *, dataset: str, rows: int, reading: bool) -> None:
    """One journal row per request (DESIGN §3.13): a department token's use, with its dataset and row
    count; a signed-in person's reading of the API's family data."""
    user = request.user
    if isinstance(user, DepartmentClient):
        journal.note(
            request._request,
            Action.TOKEN_USE,
            object_kind=ObjectKind.TOKEN,
            object_id=f"department:{user.token.pk}",
            user=user,
            detail={"dataset": dataset, "rows": rows},
        )
    elif reading:
        journal.note(
            request._request,
            Action.API_READ,
            object_kind=ObjectKind.LIST,
            object_id=dataset,
            user=user,
            detail={"rows": rows},
        )


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    period = serializers.CharField(help_text="YYYY-MM")


class ImportView(APIView):
    """POST /api/v1/datasets/DATASET/imports/ — multipart `file` and `period`."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=ImportRequestSerializer, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    def post(self, request: Request, dataset: str) -> Response:
        try:
            declared = dataset_for(dataset)
        except FileUnusable as error:
            return Response(error.as_json(), status=status.HTTP_400_BAD_REQUEST)
        department = check_department_may_deliver(user=request.user, dataset=declared)
        upload = request.FILES.get("file")
        if upload is None:
            raise FileUnusable("请附上文件（file）。", code="no_file", field="file")
        outcome = dataset_import_now(
            dataset_key=declared.key,
            period=str(request.data.get("period", "")),
            binary=upload,
            file_name=upload.name or "",
            department=department,
            channel=ImportChannel.API,
            acting_user=api_actor(request),
        )
        code = status.HTTP_200_OK if outcome.duplicate_of is not None else status.HTTP_201_CREATED
        report = outcome.report()
        journal_api(request, dataset=declared.key, rows=int(report.get("rows", 0)), reading=False)
        return Response(report, status=code)


def warning_json(warning: Warning, *, full: bool) -> dict[str, Any]:
    member = warning.member
    return {
        "id": warning.pk,
        "type": warning.type,
        "severity": warning.severity,
        "household": warning.household.household_number,
        "member": None
        if member is None
        else {"name": member.name, "id_number": member.id_number if full else mask(member.id_number)},
        "assignee": warning.assignee.code,
        "raised_on": warning.raised_on.isoformat(),
        "due": warning.due_on.isoformat(),
        "status": warning.status,
    }


class WarningListView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        qs = warning_list(user=request.user, status=str(request.query_params.get("status", "")))
        full = sees_warning_full_ids(request.user)
        rows = [warning_json(w, full=full) for w in qs[:1000]]
        journal_api(request, dataset="warnings", rows=len(rows), reading=True)
        return Response(rows)


class FeedbackSerializer(serializers.Serializer):
    action = serializers.CharField()
    feedback = serializers.CharField(allow_blank=True, required=False, default="")
    # A death warning reinvestigated by the town clerk: the member change's date and evidence, when they
    # differ from the shared row's.
    happened_on = serializers.DateField(required=False, allow_null=True, default=None)
    evidence = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)


class WarningFeedbackView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FeedbackSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        warning = get_object_or_404(Warning.objects.filter(warning_read_filter(request.user)), pk=pk)
        if warning.assignee_id not in department_ids(request.user) and not sees_warning_household_in_full(
            request.user
        ):
            raise PermissionDenied("这条预警不是派给本部门的。")
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = warning_feedback(
            warning_id=warning.pk,
            action=data.validated_data["action"],
            feedback=data.validated_data["feedback"],
            acting_user=api_actor(request),
            happened_on=data.validated_data["happened_on"],
            evidence=data.validated_data["evidence"],
        )
        updated = Warning.objects.select_related("household", "member", "assignee", "adjustment").get(
            pk=updated.pk
        )
        answer = warning_json(updated, full=sees_warning_full_ids(request.user))
        # The adjustment case the feedback opened (DESIGN §3.6: `reinvestigation` by the town clerk).
        answer["adjustment"] = updated.adjustment.case_number if updated.adjustment else None
        return Response(answer)
