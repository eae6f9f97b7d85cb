"""Shared rows that bring help become assistance records (DESIGN §3.6, §3.8): which rows, what they
show on the household page by year, and the import hook's idempotence."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from households.models import AssistanceRecord
from monitoring.models import DatasetImport
from monitoring.services.assistance import record_assistance
from monitoring.services.imports import dataset_import_now

from .conftest import Pool, csv_bytes

pytestmark = pytest.mark.django_db


def load(
    pool: Pool, dataset: str, department: str, rows: list[dict[str, str]], period: str = "2026-01"
) -> Any:
    return dataset_import_now(
        dataset_key=dataset,
        period=period,
        binary=io.BytesIO(csv_bytes(rows)),
        file_name="x.csv",
        department=pool.departments[department],
    )


def page_of(client: Any, user: Any, household: Any) -> Any:
    client.force_login(user)
    return client.get(reverse("households:detail", args=[household.pk]))


def test_rows_that_bring_money_become_records_and_a_rerun_adds_nothing(client: Any, pool: Pool) -> None:
    a = pool.member_a1
    outcome = load(
        pool,
        "student_aid",
        "JYJ",
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "paid_on": "2026-01-05",
                "level": "初中",
                "aid_type": "寄宿生生活费补助",
                "amount": "625",
            },
            {
                "id_number": a.id_number,
                "name": a.name,
                "paid_on": "2025-12-20",
                "level": "初中",
                "aid_type": "营养餐",
                "amount": "200",
            },
        ],
    )
    assert outcome.report()["matched"] == 2
    records = AssistanceRecord.objects.filter(member=a).order_by("received_on")
    assert [(r.kind, r.amount, r.source, r.note) for r in records] == [
        ("education", Decimal("200.00"), "shared_data", "营养餐"),
        ("education", Decimal("625.00"), "shared_data", "寄宿生生活费补助"),
    ]
    assert {r.source_import_id for r in records} == {outcome.dataset_import.pk}
    assert all(r.source_dataset == "student_aid" and r.source_row_id for r in records)
    assert all(r.history.count() == 1 for r in records)
    # The hook run again, and the same file delivered again, add nothing.
    assert record_assistance(DatasetImport.objects.get(pk=outcome.dataset_import.pk)) == 0
    again = load(
        pool,
        "student_aid",
        "JYJ",
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "paid_on": "2026-01-05",
                "level": "初中",
                "aid_type": "寄宿生生活费补助",
                "amount": "625",
            },
            {
                "id_number": a.id_number,
                "name": a.name,
                "paid_on": "2025-12-20",
                "level": "初中",
                "aid_type": "营养餐",
                "amount": "200",
            },
        ],
    )
    assert again.duplicate_of == outcome.dataset_import.pk
    assert AssistanceRecord.objects.count() == 2
    assert AssistanceRecord.history.count() == 2  # type: ignore[attr-defined]
    page = page_of(client, pool.world.users["town_clerk"], pool.a1).content.decode()
    assert "2026年 · 合计 625.00 元" in page
    assert "2025年 · 合计 200.00 元" in page
    assert "部门共享数据" in page


def test_which_shared_rows_become_records(pool: Pool) -> None:
    a, b = pool.member_a1, pool.member_b1
    load(
        pool,
        "legal_aid",
        "SFJ",
        [{"id_number": a.id_number, "name": a.name, "aided_on": "2026-01-03", "matter": "赡养纠纷"}],
    )
    load(
        pool,
        "housing",
        "ZJJ",
        [
            {
                "id_number": a.id_number,
                "name": a.name,
                "rated_on": "2026-01-04",
                "rating": "A",
                "aid_amount": "",
            },
            {
                "id_number": b.id_number,
                "name": b.name,
                "rated_on": "2026-01-04",
                "rating": "D",
                "aid_amount": "20000",
            },
        ],
    )
    load(pool, "death", "WJJ", [{"id_number": a.id_number, "name": a.name, "died_on": "2026-01-09"}])
    load(
        pool,
        "hardship_worker",
        "ZGH",
        [
            {
                "id_number": b.id_number,
                "name": b.name,
                "aided_on": "2026-01-10",
                "aid_type": "送温暖",
                "amount": "500",
            }
        ],
    )
    load(
        pool,
        "illness_relief",
        "WJJ",
        [{"id_number": b.id_number, "name": b.name, "paid_on": "2026-01-11", "amount": "800"}],
    )
    got = sorted((r.member_id, r.kind, r.amount, r.note) for r in AssistanceRecord.objects.all())
    assert got == sorted(
        [
            (a.pk, "legal_aid", None, "赡养纠纷"),  # in kind, no amount
            (b.pk, "housing", Decimal("20000.00"), ""),  # a rating without aid brings nothing
            (b.pk, "hardship_worker", Decimal("500.00"), "送温暖"),
            (b.pk, "illness_emergency", Decimal("800.00"), ""),
        ]
    )
