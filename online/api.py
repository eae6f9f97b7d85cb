"""The online intake's API (DESIGN §5): an external channel (e.g. 湖北省救助通) pushes an application with
its token and an Idempotency-Key, and adds documents to it; anyone reads a progress with its number and
query code. The push goes through the same forms as /public/apply/, so both refuse alike."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Scope
from accounts.glossary import OrgKind
from accounts.models import OrgUnit
from daye_relief.errors import DomainError, InvalidInput
from eligibility.self_check import SelfCheck
from journal import services as journal
from journal.codes import Action, ObjectKind

from . import selectors
from .channels import channel_find
from .codes import MAX_DOCUMENTS, PUBLIC_KINDS
from .forms import ApplyForm, OnlineHouseholdForm, OnlineMemberFormSet
from .models import ExternalChannel, OnlineApplication
from .public_views import wrong_tries
from .services import (
    Submission,
    Upload,
    online_application_submit,
    online_document_add,
    query_code,
    replayed,
)

MAX_PUSH_BYTES = 64 * 1024 * 1024  # documents in base64 included
BOOLEAN_DEFAULTS = {"lives_together": True, "shares_finances": True}
MEMBER_KEYS = {
    "name", "id_number", "relation", "birth_date", "labor_capacity", "annual_income", "lives_together",
    "shares_finances", "education_level", "disability_type", "disability_grade", "serious_illness",
    "imprisoned", "parents_unable",
}  # fmt: skip
TOP_KEYS = {"village", "phone", "situation", "asked", "commitment", "household", "members", "documents"}
# Where a form's field sits in the JSON body.
APPLY_PATHS = {"commitment": "$.commitment.accepted", "commitment_name": "$.commitment.name"}


class IntakeRefused(DomainError):
    """Every reason a pushed application is refused, each with its JSON path; nothing is stored."""

    code = "application_invalid"

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        super().__init__(
            "申请内容有误，未受理：" + "；".join(f"{p['path']} {p['message']}" for p in problems[:3])
        )

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": None, "errors": self.problems}


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    http_status = status.HTTP_409_CONFLICT


class ChannelClient:
    """The request's user when an external channel's token signs it: no person, no household scope."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self, channel: ExternalChannel) -> None:
        self.channel = channel
        self._daye_scope = Scope()  # no role: it reaches no household

    def __str__(self) -> str:
        return f"{self.channel.name}（外部渠道）"


def _journal_use(request: Request, what: str, rows: int) -> None:
    """One journal row per request of an external channel's token (DESIGN §3.13)."""
    journal.note(
        request._request,
        Action.TOKEN_USE,
        object_kind=ObjectKind.TOKEN,
        object_id=f"channel:{_channel(request).pk}",
        user=request.user,
        detail={"dataset": what, "rows": rows},
    )


class ExternalChannelAuthentication(BaseAuthentication):
    """`Authorization: Channel <key>`."""

    keyword = "Channel"

    def authenticate(self, request: Request) -> tuple[ChannelClient, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("渠道令牌格式不对。")
        channel = channel_find(parts[1].decode(errors="replace"))
        if channel is None:
            raise AuthenticationFailed("渠道令牌无效、已过期或已停用。")
        return ChannelClient(channel), channel

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ExternalChannelScheme(OpenApiAuthenticationExtension):
    target_class = ExternalChannelAuthentication
    name = "externalChannelToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Channel <外部申请渠道令牌>（系统管理 → 外部申请渠道）",
        }


class IsChannel(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.user, ChannelClient)


# The push's body ------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, path: str, message: str, code: str = "invalid") -> None:
        self.items.append({"path": path, "code": code, "message": str(message)})

    def form(
        self, form: Any, base: str, paths: dict[str, str] | None = None, skip: set[str] | None = None
    ) -> None:
        for name, messages in form.errors.items():
            if name in (skip or set()):
                continue
            where = (paths or {}).get(name) or (f"{base}.{name}" if name != "__all__" else base)
            for message in messages:
                self.add(where, message)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _array(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _channel(request: Request) -> ExternalChannel:
    client: Any = request.user  # a ChannelClient: IsChannel let the request in
    return client.channel


def _form_data(body: dict[str, Any], problems: _Problems) -> dict[str, Any]:
    """The body as the page's form data (the same forms check both), its shape checked on the way."""
    for key in sorted(set(body) - TOP_KEYS):
        problems.add(f"$.{key}", "未知字段。", "unknown_field")
    village = OrgUnit.objects.filter(kind=OrgKind.VILLAGE, code=str(body.get("village", ""))).first()
    commitment = _object(body.get("commitment"))
    data: dict[str, Any] = {
        "village": str(village.pk) if village else "",
        "phone": body.get("phone", ""),
        "situation": body.get("situation", ""),
        "asked": _array(body.get("asked")),
        "commitment": commitment.get("accepted") is True,
        "commitment_name": commitment.get("name", ""),
    }
    if body.get("village") and village is None:
        problems.add("$.village", "没有这个村(居)代码。", "unknown_village")
    household = _object(body.get("household"))
    data.update({f"h-{key}": value for key, value in household.items()})
    members = _array(body.get("members"))
    if not members:
        problems.add("$.members", "请至少填写一位家庭成员（申请人）。", "required")
    data.update(
        {
            "m-TOTAL_FORMS": str(min(len(members), 12)),
            "m-INITIAL_FORMS": "0",
            "m-MIN_NUM_FORMS": "0",
            "m-MAX_NUM_FORMS": "12",
        }
    )
    if len(members) > 12:
        problems.add("$.members", "家庭成员最多12位。", "too_many")
    for index, member in enumerate(members[:12]):
        if not isinstance(member, dict):
            problems.add(f"$.members[{index}]", "应为对象。", "invalid_type")
            continue
        for key in sorted(set(member) - MEMBER_KEYS):
            problems.add(f"$.members[{index}].{key}", "未知字段。", "unknown_field")
        values = {**BOOLEAN_DEFAULTS, **member}
        data.update({f"m-{index}-{key}": value for key, value in values.items() if value is not None})
    return data


def _documents(body: dict[str, Any], problems: _Problems) -> list[Upload]:
    documents = body.get("documents", [])
    if not isinstance(documents, list):
        problems.add("$.documents", "应为数组。", "invalid_type")
        return []
    if len(documents) > MAX_DOCUMENTS:
        problems.add("$.documents", f"一次最多上传{MAX_DOCUMENTS}个文件。", "too_many")
        return []
    uploads = []
    for index, item in enumerate(documents):
        where = f"$.documents[{index}]"
        if not isinstance(item, dict):
            problems.add(where, "应为对象。", "invalid_type")
            continue
        if item.get("kind") not in PUBLIC_KINDS:
            problems.add(
                f"{where}.kind", "材料类别应为 " + "、".join(PUBLIC_KINDS) + " 之一。", "invalid_choice"
            )
            continue
        try:
            content = base64.b64decode(str(item.get("content_base64", "")), validate=True)
        except (binascii.Error, ValueError):
            problems.add(f"{where}.content_base64", "不是有效的base64编码。", "invalid_base64")
            continue
        if not content:
            problems.add(f"{where}.content_base64", "文件内容为空。", "required")
            continue
        uploads.append(
            Upload(kind=item["kind"], name=str(item.get("name", ""))[:200], source=io.BytesIO(content))
        )
    return uploads


def _service_path(key: str) -> str:
    if key == "commitment_name":
        return "$.commitment.name"
    return f"$.{key}" if key else "$"


def _answer(online: OnlineApplication) -> dict[str, Any]:
    return {"number": online.number, "query_code": query_code(online), "stage": "submitted"}


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class IntakeView(APIView):
    """POST /api/v1/intake/applications/: an external channel pushes a family's application."""

    authentication_classes = [ExternalChannelAuthentication]
    permission_classes = [IsChannel]
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="同一申请重发时用同一个键：只建一件申请，答复相同。",
            )
        ],
        responses={
            201: OpenApiResponse(
                OpenApiTypes.OBJECT, description='{"number", "query_code", "stage": "submitted"}'
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='Every error with its JSON path: {"code", "message", "field": null, "errors": '
                '[{"path", "code", "message"}]}; nothing stored.',
            ),
            401: OpenApiResponse(description="No channel token, or a revoked one."),
            409: OpenApiResponse(description="The Idempotency-Key came before with another body."),
        },
        description=(
            "Body: {village (village code), phone, situation, asked: [tekun|dibao|marginal|rigid_expense|"
            "monitoring|unsure], commitment: {accepted: true, name}, household: {hukou_type, "
            "financial_assets, motor_vehicles, motor_vehicle_value, houses, registered_business, medical, "
            "education, other}, members: [{name, id_number, relation, birth_date?, labor_capacity, "
            "annual_income, lives_together?, shares_finances?, education_level?, disability_type?, "
            "disability_grade?, serious_illness?, imprisoned?, parents_unable?}] (the applicant first), "
            "documents?: [{kind, name, content_base64}]}. Amounts as strings in yuan."
        ),
        summary="Push an online application (external channel)",
        tags=["intake"],
    )
    def post(self, request: Request) -> Response:
        channel = _channel(request)
        key = str(request.headers.get("Idempotency-Key", "")).strip()
        if not key or len(key) > 200:
            raise InvalidInput(
                "请在请求头 Idempotency-Key 中给出本次申请的唯一键（不超过200个字符）。",
                field="Idempotency-Key",
            )
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > MAX_PUSH_BYTES:
            raise InvalidInput(f"请求内容超过 {MAX_PUSH_BYTES // 1024 // 1024} MB。", code="too_large")
        raw = request.body
        digest = _digest(raw)
        earlier = replayed(channel=channel, idempotency_key=key)
        _journal_use(request, "intake", 1)
        if earlier is not None:
            return self._replay(earlier, digest)
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise IntakeRefused(
                [{"path": "$", "code": "invalid_json", "message": f"不是有效的UTF-8 JSON：{error}"}]
            ) from None
        if not isinstance(body, dict):
            raise IntakeRefused([{"path": "$", "code": "invalid_type", "message": "请求内容应为JSON对象。"}])
        online = self._take(body, channel, key, digest)
        return Response(_answer(online), status=status.HTTP_201_CREATED)

    def _replay(self, earlier: OnlineApplication, digest: str) -> Response:
        if earlier.request_digest != digest:
            raise IdempotencyKeyReused(
                "这个 Idempotency-Key 已用于另一份内容不同的申请。", field="Idempotency-Key"
            )
        return Response(_answer(earlier), status=status.HTTP_201_CREATED)

    def _take(
        self, body: dict[str, Any], channel: ExternalChannel, key: str, digest: str
    ) -> OnlineApplication:
        problems = _Problems()
        data = _form_data(body, problems)
        uploads = _documents(body, problems)
        today = timezone.localdate()
        form = ApplyForm(data)
        household_form = OnlineHouseholdForm(data, prefix="h")
        member_forms = OnlineMemberFormSet(data, prefix="m", form_kwargs={"today": today})
        check = SelfCheck(household_form, member_forms, today=today)
        evaluation = check.run()
        form.is_valid()
        unknown_village = any(p["code"] == "unknown_village" for p in problems.items)
        problems.form(form, "$", APPLY_PATHS, skip={"village"} if unknown_village else set())
        problems.form(household_form, "$.household")
        for index, member_form in enumerate(member_forms):
            problems.form(member_form, f"$.members[{index}]")
        for message in member_forms.non_form_errors():
            problems.add("$.members", str(message))
        if problems.items or evaluation is None:
            if not problems.items:
                problems.add("$", "申请内容有误。")
            raise IntakeRefused(problems.items)
        submission = Submission(
            village=OrgUnit.objects.select_related("parent").get(pk=form.cleaned_data["village"]),
            phone=form.cleaned_data["phone"],
            situation=form.cleaned_data["situation"],
            asked=form.cleaned_data["asked"],
            commitment_name=form.cleaned_data["commitment_name"],
            members=check.members,
            household_facts=household_form.cleaned_data,
            hint=evaluation.to_json(),
            uploads=uploads,
        )
        try:
            with transaction.atomic():
                online, _code = online_application_submit(
                    submission=submission, channel=channel, idempotency_key=key, request_digest=digest
                )
        except InvalidInput as refused:
            raise IntakeRefused(
                [
                    {"path": _service_path(field), "code": "invalid", "message": message}
                    for field, messages in (refused.errors or {"": refused.messages}).items()
                    for message in messages
                ]
            ) from None
        except IntegrityError:  # the same key at the same moment: the other request created it
            earlier = replayed(channel=channel, idempotency_key=key)
            if earlier is None:
                raise
            return earlier
        return online


class DocumentRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=[(kind.value, kind.label) for kind in PUBLIC_KINDS])


class IntakeDocumentView(APIView):
    """POST /api/v1/intake/applications/NUMBER/documents/: one more document of a pushed application, while
    it waits in the inbox; only the channel that pushed it."""

    authentication_classes = [ExternalChannelAuthentication]
    permission_classes = [IsChannel]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": DocumentRequestSerializer},
        responses={
            201: OpenApiResponse(OpenApiTypes.OBJECT, description='{"number", "documents": n}'),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description='{"code", "message", "field"}'),
            404: OpenApiResponse(description="No such application of this channel."),
        },
        summary="Add a document to a pushed application",
        tags=["intake"],
    )
    def post(self, request: Request, number: str) -> Response:
        online = OnlineApplication.objects.filter(number=number, channel=_channel(request)).first()
        if online is None:
            raise NotFound("没有这件申请。")
        _journal_use(request, "intake_document", 1)
        serializer = DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        file = serializer.validated_data["file"]
        count = online_document_add(
            online=online,
            upload=Upload(kind=serializer.validated_data["kind"], name=file.name or "", source=file),
        )
        return Response({"number": online.number, "documents": count}, status=status.HTTP_201_CREATED)


class ProgressView(APIView):
    """GET /api/v1/public/progress/?number=&code= (or id_number=&code=): the progress page's answer as JSON;
    404 alike for a wrong code and an unknown number; wrong tries count with the page's."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("number", str, description="申请编号"),
            OpenApiParameter("id_number", str, description="或：申请人身份证号码"),
            OpenApiParameter("code", str, required=True, description="查询码（6位）"),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description='{"number", "stage", "stage_label", "dates": {"submitted", "accepted", '
                '"notice_from", "notice_to", "decided"}, "deadline", "office", "office_phone"}',
            ),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No application with this pair."),
            429: OpenApiResponse(description="Too many wrong tries from this client."),
        },
        summary="The progress of an online application (no login)",
        tags=["intake"],
    )
    def get(self, request: Request) -> Response:
        counter = wrong_tries()
        django_request: HttpRequest = request._request
        if counter.full(django_request):
            return Response(
                {"code": "throttled", "message": "查询错误次数过多，请10分钟后再试。", "field": None},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        params: QueryDict = request.query_params
        found = (
            selectors.progress(
                number=params.get("number", "")[:40],
                id_number=params.get("id_number", "")[:40],
                code=params.get("code", "")[:20],
            )
            if params.get("code", "").strip()
            else None
        )
        if found is None:
            counter.hit(django_request)
            return Response(
                {"code": "not_found", "message": "没有查到与申请编号和查询码相符的申请。", "field": None},
                status=status.HTTP_404_NOT_FOUND,
            )
        response = Response(found.to_json())
        response["Cache-Control"] = "no-store"
        return response
