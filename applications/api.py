"""/api/v1/applications/: the case with its stage and deadlines (DESIGN §5), and its transitions, with
the same permissions and the same forms as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import application_read_filter
from daye_relief.api_schema import error_responses
from daye_relief.errors import InvalidInput

from . import selectors
from .actions import ACTIONS, may
from .glossary import Stage
from .models import Application


class CaseDeadlineSerializer(serializers.Serializer):
    date = serializers.DateField()
    provisional = serializers.BooleanField()


class CaseDeadlinesSerializer(serializers.Serializer):
    investigation = CaseDeadlineSerializer(allow_null=True)
    review = CaseDeadlineSerializer(allow_null=True)
    overall = CaseDeadlineSerializer(allow_null=True)
    extended = CaseDeadlineSerializer(allow_null=True)


class AdjustmentOutcomeSerializer(serializers.Serializer):
    category = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    outcome = serializers.CharField(help_text="increase, decrease, cancel, add or no_change")
    amount_before = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    amount_after = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    deadlines = serializers.SerializerMethodField()
    deadlines_running = serializers.SerializerMethodField(
        help_text="false before acceptance and from the decision on: the deadlines stop at the decision"
    )
    overdue = serializers.SerializerMethodField(help_text="past a deadline that binds the case today")
    household_number = serializers.CharField(source="household.household_number", read_only=True)
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    outcomes = AdjustmentOutcomeSerializer(
        many=True, read_only=True, help_text="an approved adjustment's effect per category (and member)"
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "case_number",
            "household",
            "household_number",
            "applicant",
            "applicant_name",
            "kind",
            "trigger",
            "source",
            "stage",
            "stage_label",
            "channel",
            "procedure",
            "proxy",
            "accepted_on",
            "deadlines",
            "deadlines_running",
            "overdue",
            "deadline_flag",
            "notice_closed_on",
            "decided_on",
            "outcomes",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseDeadlinesSerializer)
    def get_deadlines(self, obj: Application) -> dict[str, Any]:
        return obj.deadlines()

    def get_deadlines_running(self, obj: Application) -> bool:
        return selectors.deadlines_running(obj)

    def get_overdue(self, obj: Application) -> bool:
        return selectors.is_overdue(obj, today=timezone.localdate())


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApplicationSerializer
    filterset_fields = ["stage", "town", "deadline_flag"]

    def get_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.filter(application_read_filter(self.request.user))
            .select_related("household", "applicant", "investigation")
            .prefetch_related("outcomes")
            .order_by("-accepted_on", "-pk")
        )

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: ApplicationSerializer,
            **error_responses(
                e400="A field's input or a rule refuses the step: every message by field, in Chinese.",
                e403="This role may not take this step on this case.",
                e404="No such case in the caller's scope, or no such step.",
                e409="The stage or the case's progress does not allow this step (someone may have taken it).",
            ),
        },
        summary="Take a step of the case",
        description="Steps: "
        + ", ".join(code for code, a in ACTIONS.items() if a.on_case_page)
        + ". The body holds the step's fields (as on the page).",
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<step>[a-z_]+)")
    def transition(self, request: Request, pk: str | None = None, step: str = "") -> Response:
        application = self.get_object()
        spec = ACTIONS.get(step)
        if spec is None or not spec.on_case_page or spec.form is None:
            raise NotFound(f"没有这个办理步骤：{step}")
        if not may(request.user, step, application):
            raise PermissionDenied("您的角色不能办理这一步。")
        form = spec.form(request.data, application=application)
        if not form.is_valid():
            raise InvalidInput(
                errors={field: [str(m) for m in messages] for field, messages in form.errors.items()}
            )
        # A refusal of the service (DomainError) is answered by the project's exception handler.
        updated = spec.run(application, form.cleaned_data, request.user, form)
        return Response(ApplicationSerializer(updated).data)
