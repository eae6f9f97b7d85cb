"""The household API (/api/v1/households/, /api/v1/members/): the same scope as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from accounts.access import (
    can_change_household,
    can_create_household_in,
    household_read_filter,
    sees_full_id_numbers,
    villages_writable_filter,
)
from accounts.models import OrgUnit

from . import services
from .models import Household, Member


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(
        max_length=18, help_text="18位身份证号码；无权查看全号的角色看到脱敏号码"
    )
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())

    class Meta:
        model = Member
        fields = [
            "id",
            "household",
            "name",
            "id_number",
            "birth_date",
            "sex",
            "relation",
            "lives_together",
            "shares_finances",
            "marital_status",
            "full_time_student",
            "education_level",
            "disability_grade",
            "disability_type",
            "serious_illness",
            "labor_capacity",
            "imprisoned",
            "full_civil_capacity",
        ]
        read_only_fields = ["birth_date", "sex"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["household"].queryset = Household.objects.filter(  # type: ignore[attr-defined]
                household_read_filter(request.user), is_active=True
            )

    def to_representation(self, instance: Member) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not sees_full_id_numbers(request.user):
            data["id_number"] = instance.masked_id_number
        return data

    def create(self, validated_data: dict[str, Any]) -> Member:
        household = validated_data.pop("household")
        if not can_change_household(self.context["request"].user, household):
            raise PermissionDenied("您不能修改该家庭。")
        try:
            return services.member_create(household=household, data=validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from None

    def update(self, instance: Member, validated_data: dict[str, Any]) -> Member:
        validated_data.pop("household", None)
        try:
            return services.member_update(member=instance, data=validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from None


class HouseholdSerializer(serializers.ModelSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(kind="village"))
    village_name = serializers.CharField(source="village.name", read_only=True)
    town_name = serializers.SerializerMethodField()
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_number",
            "village",
            "village_name",
            "town_name",
            "hukou_type",
            "address",
            "is_active",
            "members",
        ]
        read_only_fields = ["household_number", "is_active"]

    @extend_schema_field(serializers.CharField())
    def get_town_name(self, obj: Household) -> str:
        return obj.village.parent.name if obj.village.parent else ""

    def create(self, validated_data: dict[str, Any]) -> Household:
        if not can_create_household_in(self.context["request"].user, validated_data["village"]):
            raise PermissionDenied("您不能在该村(居)登记家庭。")
        try:
            return services.household_create(**validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from None

    def update(self, instance: Household, validated_data: dict[str, Any]) -> Household:
        village = validated_data.get("village")
        user = self.context["request"].user
        if (
            village is not None
            and not OrgUnit.objects.filter(villages_writable_filter(user), pk=village.pk).exists()
        ):
            raise PermissionDenied("您不能把家庭迁到该村(居)。")
        try:
            return services.household_update(household=instance, data=validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from None


class _ScopedWrites:
    """Refuses a write to an object the user may read but not change."""

    def check_object_permissions(self, request: Any, obj: Any) -> None:
        super().check_object_permissions(request, obj)  # type: ignore[misc]
        household = obj if isinstance(obj, Household) else obj.household
        if request.method not in ("GET", "HEAD", "OPTIONS") and not can_change_household(
            request.user, household
        ):
            raise PermissionDenied("您只能查看该家庭，不能修改。")


class HouseholdViewSet(
    _ScopedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HouseholdSerializer
    filterset_fields = ["village", "hukou_type"]

    def get_queryset(self) -> QuerySet[Household]:
        return (
            Household.objects.filter(household_read_filter(self.request.user), is_active=True)
            .select_related("village__parent")
            .prefetch_related("members")
            .order_by("household_number")
        )


class MemberViewSet(
    _ScopedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MemberSerializer
    filterset_fields = ["household", "relation"]

    def get_queryset(self) -> QuerySet[Member]:
        return (
            Member.objects.filter(is_active=True)
            .filter(household__in=Household.objects.filter(household_read_filter(self.request.user)))
            .select_related("household__village")
            .order_by("household_id", "pk")
        )
