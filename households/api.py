"""The household API (/api/v1/households/, /api/v1/members/): the same scope as the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.access import (
    can_change_household,
    can_create_household_in,
    household_read_filter,
    sees_full_id_numbers,
    villages_readable_filter,
    villages_writable_filter,
)
from accounts.models import OrgUnit
from journal import services as journal
from journal.codes import Action, ObjectKind

from .glossary import HukouType, Relation
from .models import Household, Member
from .services import households as services

# Every household or village a request may name (a filter, a POST) is looked up among those the caller
# may read: one out of scope answers exactly as one that does not exist.


def readable_households(request: Any) -> QuerySet[Household]:
    if request is None:
        return Household.objects.none()
    return Household.objects.filter(household_read_filter(request.user), is_active=True)


def readable_villages(request: Any) -> QuerySet[OrgUnit]:
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(villages_readable_filter(request.user))


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
            "parents_status",
            "parents_evidence",
        ]
        read_only_fields = ["birth_date", "sex"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = readable_households(  # type: ignore[attr-defined]
            self.context.get("request")
        )

    def validate_id_number(self, value: str) -> str:
        # The masked number a role was shown, sent back unchanged, keeps the stored one.
        if self.instance is not None and value == self.instance.masked_id_number:
            return str(self.instance.id_number)
        return value

    def to_representation(self, instance: Member) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not sees_full_id_numbers(request.user):
            data["id_number"] = instance.masked_id_number
        return data

    def create(self, validated_data: dict[str, Any]) -> Member:
        household = validated_data.pop("household")
        user = self.context["request"].user
        if not can_change_household(user, household):
            raise PermissionDenied("您不能修改该家庭。")
        return services.member_create(household=household, data=validated_data, acting_user=user)

    def update(self, instance: Member, validated_data: dict[str, Any]) -> Member:
        validated_data.pop("household", None)
        return services.member_update(
            member=instance, data=validated_data, acting_user=self.context["request"].user
        )


class HouseholdSerializer(serializers.ModelSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    village_name = serializers.CharField(source="village.name", read_only=True)
    town_name = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField(help_text="在户成员；已移出的成员不列出")

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = readable_villages(  # type: ignore[attr-defined]
            self.context.get("request")
        )

    @extend_schema_field(serializers.CharField())
    def get_town_name(self, obj: Household) -> str:
        return obj.village.parent.name if obj.village.parent else ""

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, obj: Household) -> Any:
        # Filtered in Python so that the prefetched members serve every household of a page.
        active = [member for member in obj.members.all() if member.is_active]
        return MemberSerializer(active, many=True, context=self.context).data

    def create(self, validated_data: dict[str, Any]) -> Household:
        if not can_create_household_in(self.context["request"].user, validated_data["village"]):
            raise PermissionDenied("您不能在该村(居)登记家庭。")
        return services.household_create(**validated_data)

    def update(self, instance: Household, validated_data: dict[str, Any]) -> Household:
        village = validated_data.get("village")
        user = self.context["request"].user
        if (
            village is not None
            and not OrgUnit.objects.filter(villages_writable_filter(user), pk=village.pk).exists()
        ):
            raise PermissionDenied("您不能把家庭迁到该村(居)。")
        return services.household_update(household=instance, data=validated_data)


class HouseholdFilter(django_filters.FilterSet):
    village = django_filters.ModelChoiceFilter(queryset=readable_villages, label="所在村(居)")
    hukou_type = django_filters.ChoiceFilter(choices=HukouType.choices, label="户籍类型")

    class Meta:
        model = Household
        fields = ["village", "hukou_type"]


class MemberFilter(django_filters.FilterSet):
    household = django_filters.ModelChoiceFilter(queryset=readable_households, label="家庭")
    relation = django_filters.ChoiceFilter(choices=Relation.choices, label="与申请人关系")

    class Meta:
        model = Member
        fields = ["household", "relation"]


class _ScopedWrites:
    """Refuses a write to an object the user may read but not change."""

    def check_object_permissions(self, request: Any, obj: Any) -> None:
        super().check_object_permissions(request, obj)  # type: ignore[misc]
        household = obj if isinstance(obj, Household) else obj.household
        if request.method not in ("GET", "HEAD", "OPTIONS") and not can_change_household(
            request.user, household
        ):
            raise PermissionDenied("您只能查看该家庭，不能修改。")


class _JournaledReads:
    """Each read of the API leaves one journal row (DESIGN §3.13): a list with its row count, one household
    or member with its object (a member's full ID number as view_member_full_id)."""

    journal_kind = ""

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        data = response.data
        rows = len(data["results"]) if isinstance(data, dict) and "results" in data else len(data or [])
        journal.note(
            request._request,
            Action.API_READ,
            object_kind=ObjectKind.LIST,
            object_id=self.journal_kind,
            user=request.user,
            detail={"rows": rows, "full_ids": sees_full_id_numbers(request.user)},
        )
        return response

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        household = instance if isinstance(instance, Household) else instance.household
        member = None if isinstance(instance, Household) else instance
        full_ids = sees_full_id_numbers(request.user)
        journal.note(
            request._request,
            Action.VIEW_MEMBER_FULL_ID if member is not None and full_ids else Action.API_READ,
            object_kind=ObjectKind.HOUSEHOLD if member is None else ObjectKind.MEMBER,
            object_id=instance.pk,
            household_id=household.pk,
            town_id=household.village.parent_id,
            id_number=member.id_number if member is not None else "",
            user=request.user,
            detail={"full_ids": full_ids},
        )
        return Response(self.get_serializer(instance).data)  # type: ignore[attr-defined]


class HouseholdViewSet(
    _JournaledReads,
    _ScopedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    journal_kind = "households"

    def get_queryset(self) -> QuerySet[Household]:
        return (
            Household.objects.filter(household_read_filter(self.request.user), is_active=True)
            .select_related("village__parent")
            .prefetch_related("members")
            .order_by("household_number")
        )


class MemberViewSet(
    _JournaledReads,
    _ScopedWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    journal_kind = "members"

    def get_queryset(self) -> QuerySet[Member]:
        return (
            Member.objects.filter(is_active=True)
            .filter(household__in=readable_households(self.request))
            .select_related("household__village")
            .order_by("household_id", "pk")
        )
