"""`GET /api/v1/stats/overview/` (DESIGN §5): the overview figures in the caller's scope on today's date,
from the same selectors as the dashboard (`desk.stats.overview`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from households.glossary import Category

from . import stats


def _counts(name: str, codes: tuple[str, ...] | list[str]) -> type[serializers.Serializer]:
    """A serializer with one non-negative count per code (every code always present)."""
    fields = {code: serializers.IntegerField(min_value=0) for code in codes}
    return type(name, (serializers.Serializer,), fields)


CategoryCounts = _counts("CategoryCounts", Category.values)
OverlapCounts = _counts("OverlapCounts", stats.OVERLAP_CATEGORIES)
StageCounts = _counts("StageCounts", stats.OPEN_STAGE_CODES)


class StatsOverviewSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="统计日期（今天，Asia/Shanghai）")
    households_by_category = CategoryCounts(help_text="各类别在保家庭户数（按成员纳入的类别，每户只计一次）")
    people_by_category = CategoryCounts(help_text="上述家庭的在户人数")
    overlap = OverlapCounts(help_text="同时纳入防止返贫监测的家庭户数")
    cases_by_stage = StageCounts(help_text="办理中的案件数（按阶段）")


class StatsOverviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="统计概览",
        description="在调用者的权限范围内（市直局为全市，镇为本镇，村为本村），截至今天的在保户数、人数、"
        "两项政策重叠户数和办理中的案件数。市直局可用 town 参数只看一个镇。",
        parameters=[OpenApiParameter("town", int, description="镇（机构ID），仅限调用者范围内的镇")],
        responses={200: StatsOverviewSerializer},
    )
    def get(self, request: Request) -> Response:
        if not stats.may_read_stats(request.user):
            raise PermissionDenied("您的角色没有统计数据。")
        scope = stats.stats_scope(request.user, request.query_params.get("town"))
        return Response(stats.overview(scope))
