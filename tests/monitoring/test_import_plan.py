"""The medical_burden rule's statement reaches the stored rows household by household, whatever
monitoring_sharedrow's statistics say (issue 12): right after an import's insert the table has none, and
`household_id IN (SELECT … FROM new)` was then planned as a nested loop that scanned the import's rows
once per stored row (65 s of a 72 s import of 100,000 rows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from monitoring.models import DatasetImport
from monitoring.rules import warnings_sql
from monitoring.services.imports import dataset_for

from .conftest import Pool, csv_bytes
from .test_imports import run

pytestmark = pytest.mark.django_db


def test_medical_burden_plan_walks_the_household_index(tmp_path: Path, pool: Pool) -> None:
    rows = [
        {
            "id_number": member.id_number,
            "name": member.name,
            "settled_on": "2026-01-10",
            "total_cost": "900",
            "self_paid": "800",
        }
        for member in (pool.member_a1, pool.member_b1)
    ]
    code, report = run(tmp_path, "medical_expense", csv_bytes(rows))
    assert code == 0
    assert report["matched"] == 2
    record = DatasetImport.objects.get(dataset="medical_expense")
    # The test's transaction is still open: the import's temporary tables (its new rows, the parameters)
    # are there to plan against, and monitoring_sharedrow has no statistics of these rows.
    statement = warnings_sql._medical_burden_select(dataset_for("medical_expense"))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (COSTS OFF) " + statement, {"dataset": "medical_expense", "import": record.pk}
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "monitoring__househo" in plan, plan  # the (household, dataset, row_date) index
    assert "Index Cond: ((household_id = monitoring_import_new" in plan, plan
    assert "Join Filter" not in plan, plan
