"""/api/v1/notices/: the notices in the caller's scope, and objections recorded through the same service
and the same rules as the page (only while the window is open). Refusals are answered by the project's
DRF handler as {"code", "message", "field", "errors"}."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import can_record_objections_in, villages_readable_filter
from accounts.actors import signed_in
from accounts.models import OrgUnit
from daye_relief.errors import InvalidInput

from . import services
from .forms import ObjectionForm
from .models import Notice, NoticeItem, Objection


class NoticeItemSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="application.case_number", read_only=True)

    class Meta:
        model = NoticeItem
        fields = ["id", "application", "case_number", "outcome"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    items = NoticeItemSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "village",
            "title",
            "status",
            "posted_on",
            "closes_on",
            "closed_on",
            "contact",
            "items",
        ]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "item", "received_on", "channel", "objector", "content", "answer", "answered_on"]
        read_only_fields = fields


class ObjectionRequestSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    received_on = serializers.DateField()
    channel = serializers.CharField()
    objector = serializers.CharField(required=False, allow_blank=True)
    content = serializers.CharField()


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NoticeSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[Notice]:
        return (
            Notice.objects.filter(
                village__in=OrgUnit.objects.filter(villages_readable_filter(self.request.user))
            )
            .select_related("village")
            .prefetch_related("items__application")
            .order_by("-pk")
        )

    @extend_schema(
        request=ObjectionRequestSerializer,
        responses={
            201: ObjectionSerializer,
            400: OpenApiResponse(
                description="A field error, or the window is not open (code notice_window_closed)."
            ),
            403: OpenApiResponse(description="This role may not record objections in this village."),
            404: OpenApiResponse(description="No such notice or item in the caller's scope."),
            409: OpenApiResponse(description="The notice is not posted, or the case has left it."),
        },
        summary="Record an objection (only while the notice's window is open)",
    )
    @action(detail=True, methods=["post"])
    def objections(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        if not can_record_objections_in(request.user, notice.village_id, notice.village.parent_id):
            raise PermissionDenied("只有本村(居)委会或镇社会事务办可以登记异议。")
        data: Any = request.data
        item = notice.items.filter(
            pk=data.get("item") if str(data.get("item", "")).isdigit() else None
        ).first()
        if item is None:
            raise NotFound("本公示中没有这个案件。")
        form = ObjectionForm(data)
        if not form.is_valid():
            errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
            raise InvalidInput(errors=errors, field=next(iter(errors)))
        objection = services.objection_record(item=item, acting_user=signed_in(request), **form.cleaned_data)
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)
