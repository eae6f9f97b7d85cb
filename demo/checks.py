"""Demo checks (DESIGN §3.6 Checks): the half-yearly central check's results for July 2026 imported through
the real import path (one household's figures change its categories: a check_discrepancy warning), the
same run's student aid check, and an annual check plan with a seeded 30% per town. A second run adds
nothing (same file, same period, an existing plan)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import OrgUnit, User
from households.models import Enrollment, Member
from monitoring.glossary import CheckPlanMode, ImportChannel
from monitoring.models import CheckPlan
from monitoring.services.checks import check_plan_create, half_yearly_check_run
from monitoring.services.imports import dataset_import_now

PERIOD = "2026-07"


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def seed_checks() -> None:
    members = list(
        Member.objects.filter(
            is_active=True,
            relation="applicant",
            household__in=Enrollment.objects.filter(category="dibao", end_date__isnull=True).values(
                "household_id"
            ),
        ).order_by("household__household_number")[:2]
    )
    department = OrgUnit.objects.filter(code="MZJ").first()
    if len(members) == 2 and department is not None:
        figures = {
            "annual_income": "0",
            "vehicles": "0",
            "vehicle_value": "0",
            "dwellings": "1",
            "business": "否",
        }
        rows = [
            {
                "id_number": members[0].id_number,
                "name": members[0].name,
                "financial_assets": "2000",
                **figures,
            },
            {
                "id_number": members[1].id_number,
                "name": members[1].name,
                "financial_assets": "380000",
                **figures,
            },
        ]
        dataset_import_now(
            dataset_key="economic_check",
            period=PERIOD,
            binary=io.BytesIO(_csv(rows)),
            file_name=f"economic_check-{PERIOD}.csv",
            department=department,
            channel=ImportChannel.UPLOAD,
        )
    half_yearly_check_run(period=PERIOD)
    reviewer = User.objects.filter(username="reviewer_mz").first()
    towns = list(OrgUnit.objects.filter(kind="town").values_list("code", flat=True))
    if reviewer is not None and not CheckPlan.objects.exists():
        today = timezone.localdate()
        check_plan_create(
            year=today.year,
            mode=CheckPlanMode.SAMPLE,
            seed="daye-demo",
            shares=dict.fromkeys(towns, "30"),
            due_on=today + timedelta(days=60),
            acting_user=reviewer,
        )
