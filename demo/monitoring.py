"""Demo shared data: a month of every department's deliveries, imported through the real import path, so
that the desk shows reports, deliveries and a warning of each type. Deterministic: a second run finds the
same files already imported (same SHA-256) and adds nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from itertools import zip_longest
from typing import Any

from accounts.models import OrgUnit
from households.idnumbers import make
from households.models import Enrollment, Member
from monitoring.datasets import DATASETS
from monitoring.glossary import ImportChannel
from monitoring.services.deliveries import delivery_summaries_refresh
from monitoring.services.imports import dataset_import_now

PERIOD = "2026-10"


def _pool_members() -> list[Member]:
    """Applicants of enrolled demo households, the 低保 ones first, taken in turn from each town so that
    both pilot towns have warnings to handle; a stable order."""
    dibao = set(
        Enrollment.objects.filter(category="dibao", end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    members = sorted(
        Member.objects.filter(
            is_active=True,
            relation="applicant",
            household__in=Enrollment.objects.filter(end_date__isnull=True).values("household_id"),
        ).select_related("household__village"),
        key=lambda m: (m.household_id not in dibao, m.household.household_number),
    )
    by_town: dict[int | None, list[Member]] = {}
    for member in members:
        by_town.setdefault(member.household.village.parent_id, []).append(member)
    queues = [by_town[town] for town in sorted(by_town, key=lambda t: t or 0, reverse=True)]
    return [m for group in zip_longest(*queues) for m in group if m is not None]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("gbk")


def _rows(members: list[Member]) -> dict[str, list[dict[str, Any]]]:
    def person(index: int) -> dict[str, str]:
        member = members[index % len(members)]
        return {"id_number": member.id_number, "name": member.name}

    stranger = {"id_number": make("420281", date(1985, 6, 1), 321), "name": "池外人"}
    typo = {
        "id_number": members[0].id_number[:17] + ("0" if members[0].id_number[-1] != "0" else "1"),
        "name": members[0].name,
    }
    return {
        "unemployment": [
            {**person(1), "registered_on": "2026-10-08", "benefit_monthly": "1380"},
            {**stranger, "registered_on": "2026-10-09", "benefit_monthly": ""},
        ],
        "employment": [{**person(0), "started_on": "2026-10-12", "monthly_wage": "6500"}],
        "death": [{**person(3), "died_on": "2026-10-20"}],
        "illness_relief": [{**person(2), "paid_on": "2026-10-03", "amount": "2000"}],
        "medical_expense": [
            {**person(4), "settled_on": "2026-10-15", "total_cost": "48000", "self_paid": "12600"},
            {**person(13), "settled_on": "2026-10-16", "total_cost": "900", "self_paid": "180"},
            {**typo, "settled_on": "2026-10-17", "total_cost": "300", "self_paid": "60"},
            {**person(6), "settled_on": "2026-11-02", "total_cost": "300", "self_paid": "60"},
        ],
        "medical_assistance": [{**person(4), "paid_on": "2026-10-25", "amount": "8000", "ratio": "50"}],
        "student_aid": [
            {
                **person(8),
                "paid_on": "2026-10-10",
                "level": "普通高中",
                "aid_type": "国家助学金",
                "amount": "1000",
            }
        ],
        "housing": [{**person(5), "rated_on": "2026-10-11", "rating": "D", "aid_amount": "20000"}],
        "disaster": [
            {**person(7), "occurred_on": "2026-10-05", "loss_amount": "15000", "aid_amount": "3000"}
        ],
        "disability": [{**person(9), "certified_on": "2026-10-18", "kind": "肢体", "grade": "一级"}],
        "legal_aid": [{**person(10), "aided_on": "2026-10-21", "matter": "赡养纠纷"}],
        "imprisonment": [{**person(11), "from_date": "2026-10-01", "until_date": "2028-09-30"}],
        "hardship_worker": [
            {**person(12), "aided_on": "2026-10-28", "aid_type": "生活救助", "amount": "800"}
        ],
    }


def seed_monitoring() -> int:
    """Imports the demo month; returns how many files were new."""
    members = _pool_members()
    if len(members) < 14:
        return 0
    new = 0
    for key, rows in _rows(members).items():
        dataset = DATASETS[key]
        department = OrgUnit.objects.get(code=dataset.department)
        outcome = dataset_import_now(
            dataset_key=key,
            period=PERIOD,
            binary=io.BytesIO(_csv(rows)),
            file_name=f"{key}-{PERIOD}.csv",
            department=department,
            channel=ImportChannel.SYNC,
        )
        new += outcome.duplicate_of is None
    delivery_summaries_refresh(period=PERIOD)
    return new
