"""The documents in the API (issue 19.7): list and add on a case or a household, download within scope.
A refused file answers 400 `{"code": "bad_file_type" | "file_too_large" | "unsafe_pdf", "message",
"field": "file"}` (daye_relief.errors); a document, case or household out of scope answers 404 as one that
does not exist."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.actors import signed_in
from applications.models import Application
from applications.selectors import application_list
from daye_relief.errors import InvalidInput
from households.models import Household, Member
from households.selectors.households import household_get

from . import services
from .codes import OTHER_MATERIALS, DocumentKind
from .models import Document
from .selectors import case_documents, document_get, household_documents
from .views import file_response, journal_document


class DocumentSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", allow_null=True, read_only=True)
    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "material",
            "member",
            "size",
            "content_type",
            "sha256",
            "uploaded_at",
            "note",
            "withdrawn",
        ]


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    member = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    # For kind `other`: the checklist item it answers (default `other`); the other kinds answer their own.
    material = serializers.ChoiceField(choices=OTHER_MATERIALS, required=False, allow_blank=True)


def _upload(request: Request, household: Household, application: Application | None) -> Response:
    form = DocumentUploadSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data: dict[str, Any] = form.validated_data
    member = None
    if data.get("member"):
        member = Member.objects.filter(household=household, pk=data["member"]).first()
        if member is None:
            raise InvalidInput("所选成员不属于这个家庭。", field="member")
    upload = data["file"]
    document = services.document_upload(
        household=household,
        application=application,
        member=member,
        kind=data["kind"],
        source=upload,
        name=upload.name or "",
        note=data.get("note", ""),
        material=data.get("material", ""),
        acting_user=signed_in(request),
    )
    return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class CaseDocumentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def _case(self, request: Request, pk: int) -> Application:
        application = (
            application_list(user=request.user).select_related("household__village").filter(pk=pk).first()
        )
        if application is None:
            raise Http404("没有找到这个案件。")
        return application

    @extend_schema(responses=DocumentSerializer(many=True), summary="案件的材料")
    def get(self, request: Request, pk: int) -> Response:
        documents = case_documents(user=request.user, application=self._case(request, pk))
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        request=DocumentUploadSerializer, responses={201: DocumentSerializer}, summary="为案件上传材料"
    )
    def post(self, request: Request, pk: int) -> Response:
        application = self._case(request, pk)
        return _upload(request, application.household, application)


class HouseholdDocumentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=DocumentSerializer(many=True), summary="家庭的材料")
    def get(self, request: Request, pk: int) -> Response:
        household = household_get(user=request.user, pk=pk)
        return Response(
            DocumentSerializer(household_documents(user=request.user, household=household), many=True).data
        )

    @extend_schema(
        request=DocumentUploadSerializer, responses={201: DocumentSerializer}, summary="为家庭上传材料"
    )
    def post(self, request: Request, pk: int) -> Response:
        return _upload(request, household_get(user=request.user, pk=pk), None)


class DocumentFileView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="下载材料文件")
    def get(self, request: Request, pk: int) -> FileResponse:
        document = document_get(user=request.user, pk=pk)
        inline = request.query_params.get("inline") == "1"
        journal_document(request._request, document, inline=inline, user=request.user)
        return file_response(document, inline=inline)
