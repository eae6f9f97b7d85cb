"""Each dataset's columns and warning rule (DESIGN §3.6), one matched row at a time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from households.models import Income
from monitoring.datasets import DATASETS
from monitoring.models import SharedRow, Warning
from workdays.selectors import deadline_after

from .conftest import Pool, csv_bytes
from .test_imports import run

pytestmark = pytest.mark.django_db

# dataset → (its own columns for one row, the warning type expected or None, assignee: "town" or a code)
CASES: dict[str, tuple[dict[str, str], str | None, str | None]] = {
    "unemployment": ({"registered_on": "2026-01-04", "benefit_monthly": "1500"}, "unemployment", "RSJ"),
    "employment": ({"started_on": "2026-01-04", "monthly_wage": "6000"}, "income_rise", "town"),
    "death": ({"died_on": "2026-01-04"}, "death", "town"),
    "illness_relief": ({"paid_on": "2026-01-04", "amount": "800"}, None, None),
    "medical_expense": (
        {"settled_on": "2026-01-04", "total_cost": "30000", "self_paid": "12000"},
        "medical_burden",
        "YBJ",
    ),
    "medical_assistance": (
        {"paid_on": "2026-01-04", "amount": "900", "ratio": "50"},
        "assistance_below_ratio",
        "YBJ",
    ),
    "student_aid": (
        {"paid_on": "2026-01-04", "level": "普通高中", "aid_type": "助学金", "amount": "1000"},
        None,
        None,
    ),
    "housing": ({"rated_on": "2026-01-04", "rating": "C", "aid_amount": ""}, "dangerous_house", "ZJJ"),
    "disaster": (
        {"occurred_on": "2026-01-04", "loss_amount": "5000", "aid_amount": "1000"},
        "disaster",
        "town",
    ),
    "disability": (
        {"certified_on": "2026-01-04", "kind": "肢体", "grade": "二级"},
        "severe_disability",
        "town",
    ),
    "legal_aid": ({"aided_on": "2026-01-04", "matter": "劳动争议"}, None, None),
    "imprisonment": ({"from_date": "2026-01-04", "until_date": "2029-01-03"}, "imprisonment", "town"),
    "hardship_worker": ({"aided_on": "2026-01-04", "aid_type": "生活救助", "amount": "600"}, None, None),
    # The central check's results as stored: nothing changes, no warning (tests/monitoring/test_checks.py).
    "economic_check": (
        {
            "checked_on": "2026-01-04",
            "annual_income": "0",
            "financial_assets": "0",
            "vehicles": "0",
            "vehicle_value": "0",
            "dwellings": "0",
            "business": "否",
        },
        None,
        None,
    ),
}
DUE = {
    "unemployment": 10,
    "income_rise": 10,
    "death": 5,
    "medical_burden": 10,
    "assistance_below_ratio": 10,
    "dangerous_house": 20,
    "disaster": 5,
    "severe_disability": 10,
    "imprisonment": 10,
}


def test_every_dataset_has_a_case() -> None:
    assert set(CASES) == set(DATASETS)


@pytest.mark.parametrize("key", sorted(CASES))
def test_dataset_row_and_rule(key: str, tmp_path: Path, pool: Pool) -> None:
    columns, warning_type, assignee = CASES[key]
    member = pool.member_a1
    row = {"id_number": member.id_number, "name": member.name, **columns}
    # Chinese headers: each dataset's declaration names them.
    headers = {c.key: c.header for c in DATASETS[key].all_columns}
    content = csv_bytes([{headers[k]: v for k, v in row.items()}])
    code, report = run(tmp_path, key, content)
    assert code == 0, report
    assert report["matched"] == 1, report
    stored = SharedRow.objects.get()
    assert stored.member == member
    if DATASETS[key].assistance and columns.get(DATASETS[key].assistance):
        assert stored.assistance_amount == Decimal(columns[DATASETS[key].assistance])
    if warning_type is None:
        assert not Warning.objects.exists()
        return
    warning = Warning.objects.get()
    assert warning.type == warning_type
    expected = pool.world.town_a if assignee == "town" else pool.departments[assignee]
    assert warning.assignee == expected
    today = timezone.localdate()
    assert warning.raised_on == today
    assert warning.due_on == deadline_after(start=today, working_days=DUE[warning_type]).date


def _one(tmp_path: Path, key: str, member: Any, name: str = "f.csv", **columns: str) -> dict[str, Any]:
    return run(
        tmp_path, key, csv_bytes([{"id_number": member.id_number, "name": member.name, **columns}]), name=name
    )[1]


def test_income_rise_only_when_a_category_would_go(tmp_path: Path, pool: Pool) -> None:
    Income.objects.create(member=pool.member_a1, kind="farming", annual_amount=Decimal("1200"))
    report = _one(tmp_path, "employment", pool.member_a1, started_on="2026-01-02", monthly_wage="300")
    assert report["matched"] == 1
    assert report["warnings_created"] == 0  # 3600 a year: still under the 低保 standard
    report = _one(
        tmp_path, "employment", pool.member_a1, "g.csv", started_on="2026-01-09", monthly_wage="5000"
    )
    assert report["warnings_created"] == 1
    assert "低保" in Warning.objects.get().detail


def test_medical_burden_sums_twelve_months_once_per_year(tmp_path: Path, pool: Pool) -> None:
    m = pool.member_a1
    first = _one(
        tmp_path, "medical_expense", m, "a.csv", settled_on="2025-03-01", total_cost="9000", self_paid="6000"
    )
    assert first["warnings_created"] == 0
    second = _one(
        tmp_path, "medical_expense", m, "b.csv", settled_on="2026-01-10", total_cost="8000", self_paid="4000"
    )
    assert second["warnings_created"] == 1  # 6000 + 4000 within 12 months reaches 10000
    third = _one(
        tmp_path, "medical_expense", m, "c.csv", settled_on="2026-01-20", total_cost="8000", self_paid="9000"
    )
    assert third["warnings_created"] == 0  # at most one per household per calendar year
    warning = Warning.objects.get()
    assert warning.year == 2026
    assert warning.detail == "近12个月政策范围内个人自付合计10000元，达到10000元"


def test_medical_burden_ignores_self_pay_older_than_twelve_months(tmp_path: Path, pool: Pool) -> None:
    m = pool.member_a1
    _one(
        tmp_path, "medical_expense", m, "a.csv", settled_on="2024-12-01", total_cost="9000", self_paid="6000"
    )
    report = _one(
        tmp_path, "medical_expense", m, "b.csv", settled_on="2026-01-10", total_cost="8000", self_paid="4000"
    )
    assert report["warnings_created"] == 0


@pytest.mark.parametrize(("ratio", "warned"), [("69.5", 1), ("70", 0), ("", 0)])
def test_assistance_below_the_members_ratio(ratio: str, warned: int, tmp_path: Path, pool: Pool) -> None:
    report = _one(
        tmp_path, "medical_assistance", pool.member_a1, paid_on="2026-01-03", amount="500", ratio=ratio
    )
    assert report["warnings_created"] == warned  # 低保: 70 %
    if warned:
        assert Warning.objects.get().detail == "医疗救助比例69.5%，低于应享受的70%"


@pytest.mark.parametrize(("rating", "warned"), [("A", 0), ("B", 0), ("C", 1), ("d", 1)])
def test_dangerous_house_only_c_or_d(rating: str, warned: int, tmp_path: Path, pool: Pool) -> None:
    report = _one(tmp_path, "housing", pool.member_a1, rated_on="2026-01-03", rating=rating)
    assert report["warnings_created"] == warned


@pytest.mark.parametrize(
    ("kind", "grade", "stored", "warned"),
    [
        ("physical", "2", None, 1),
        ("physical", "3", None, 0),
        ("intellectual", "3", None, 1),
        ("精神", "三级", None, 1),
        ("physical", "1", 2, 1),
        ("physical", "2", 1, 0),
        ("physical", "2", 2, 0),
    ],
)
def test_severe_disability_only_when_the_record_is_milder(
    kind: str, grade: str, stored: int | None, warned: int, tmp_path: Path, pool: Pool
) -> None:
    member = pool.member_a1
    if stored is not None:
        member.disability_grade, member.disability_type = stored, "physical"
        member.save()
    report = _one(tmp_path, "disability", member, certified_on="2026-01-03", kind=kind, grade=grade)
    assert report["matched"] == 1
    assert report["warnings_created"] == warned


def test_enum_rejection_names_the_allowed_values(tmp_path: Path, pool: Pool) -> None:
    report = _one(tmp_path, "housing", pool.member_a1, rated_on="2026-01-03", rating="E")
    assert report["rejected"][0]["column"] == "危险等级"
    assert "不是有效的危险等级" in report["rejected"][0]["reason"]
