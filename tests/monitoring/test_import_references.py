"""The stored rows' references to the import, the household and the member carry no database constraint
(a million deferred foreign-key checks at commit, issue 12): the import checks them set-wise instead, and
deleting through the ORM still takes the rows with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connection

from monitoring.models import DatasetImport, SharedRow
from monitoring.services import fastpath

from .conftest import Pool, csv_bytes
from .test_imports import run

pytestmark = pytest.mark.django_db


def _import_two_rows(tmp_path: Path, pool: Pool) -> None:
    rows = [
        {
            "id_number": member.id_number,
            "name": member.name,
            "settled_on": "2026-01-10",
            "total_cost": "900",
            "self_paid": "80",
        }
        for member in (pool.member_a1, pool.member_b1)
    ]
    code, report = run(tmp_path, "medical_expense", csv_bytes(rows))
    assert code == 0
    assert report["matched"] == 2


def test_a_member_gone_since_the_pool_was_read_stops_the_import(tmp_path: Path, pool: Pool) -> None:
    _import_two_rows(tmp_path, pool)
    # The test's transaction is still open: the import's table of stored rows is still there.
    fastpath.references_lock()  # every household and member named exists
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_import_new (id, household_id, member_id, row_date, data) "
            "VALUES (0, %s, 987654321, '2026-01-10', '{}')",
            [pool.a1.pk],
        )
    with pytest.raises(IntegrityError, match="households_member"):
        fastpath.references_lock()


def test_deleting_an_import_or_a_member_still_removes_their_rows(tmp_path: Path, pool: Pool) -> None:
    _import_two_rows(tmp_path, pool)
    assert SharedRow.objects.count() == 2
    pool.member_b1.delete()
    assert list(SharedRow.objects.values_list("member_id", flat=True)) == [pool.member_a1.pk]
    DatasetImport.objects.get(dataset="medical_expense").delete()
    assert not SharedRow.objects.exists()
