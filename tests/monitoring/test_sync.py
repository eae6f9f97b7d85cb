"""The monthly sync against a local folder and a local HTTP server; run twice = one run; delivery summaries;
unique warnings under two concurrent imports."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from monitoring.models import DatasetImport, DeliverySummary, SharedRow, SyncSource, Warning
from monitoring.services.imports import dataset_import_now
from monitoring.services.sync import monthly_sync, previous_period
from monitoring.tasks import run_monthly_sync

from .conftest import Pool, csv_bytes


def death_file(pool: Pool) -> bytes:
    return csv_bytes(
        [
            {"id_number": m.id_number, "name": m.name, "died_on": "2026-01-08"}
            for m in (pool.member_a1, pool.member_b1)
        ]
    )


@pytest.mark.django_db
def test_previous_period() -> None:
    from datetime import date

    assert previous_period(date(2026, 2, 5)) == "2026-01"
    assert previous_period(date(2026, 1, 5)) == "2025-12"


@pytest.mark.django_db
def test_sync_from_a_folder_twice_is_one_run(tmp_path: Path, pool: Pool) -> None:
    (tmp_path / "2026-01").mkdir()
    (tmp_path / "2026-01" / "death.csv").write_bytes(death_file(pool))
    SyncSource.objects.create(dataset="death", location=str(tmp_path / "{period}" / "death.csv"))
    SyncSource.objects.create(
        dataset="unemployment", location=str(tmp_path / "{period}" / "unemployment.csv")
    )
    first = monthly_sync(period="2026-01")
    assert first["imports"]["death"]["matched"] == 2
    assert first["missing"] == ["unemployment"]
    second = run_monthly_sync("2026-01")
    assert second["imports"]["death"]["duplicate_of"] == first["imports"]["death"]["import_id"]
    assert (DatasetImport.objects.count(), SharedRow.objects.count(), Warning.objects.count()) == (1, 2, 2)
    summaries = {s.department.code: s for s in DeliverySummary.objects.filter(period="2026-01")}
    assert summaries["WJJ"].delivered
    assert (summaries["WJJ"].rows, summaries["WJJ"].warnings) == (2, 2)
    assert not summaries["RSJ"].delivered  # listed as missing
    assert len(summaries) == 9  # every department that delivers a dataset


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_sync_from_a_local_http_server(http_folder: tuple[Path, str], pool: Pool, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MONITORING_SYNC_ALLOW_HTTP = True
    folder, base = http_folder
    (folder / "death-2026-01.csv").write_bytes(death_file(pool))
    SyncSource.objects.create(dataset="death", location=base + "/death-{period}.csv")
    result = monthly_sync(period="2026-01")
    assert result["imports"]["death"]["matched"] == 2
    assert monthly_sync(period="2026-02")["missing"] == ["death"]  # 404: not delivered
    assert Warning.objects.count() == 2


@pytest.mark.django_db
def test_plain_http_refused_unless_allowed(http_folder: tuple[Path, str], pool: Pool) -> None:
    _folder, base = http_folder
    SyncSource.objects.create(dataset="death", location=base + "/death-{period}.csv")
    assert monthly_sync(period="2026-01")["failed"]["death"] == "同步地址须为 HTTPS。"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unique_warnings_under_two_concurrent_imports(pool: Pool) -> None:
    """Two files with the same rows (different bytes) imported at once: one row each, one warning each."""
    m = pool.member_a1
    rows = [
        {
            "id_number": m.id_number,
            "name": m.name,
            "settled_on": f"2026-01-{d:02d}",
            "total_cost": "9000",
            "self_paid": "6000",
        }
        for d in (3, 4)
    ]
    files = [csv_bytes(rows), csv_bytes(list(reversed(rows)))]
    barrier = threading.Barrier(2)
    reports: list[dict] = []
    errors: list[BaseException] = []

    def work(content: bytes) -> None:
        try:
            barrier.wait()
            outcome = dataset_import_now(
                dataset_key="medical_expense",
                period="2026-01",
                binary=io.BytesIO(content),
                file_name="m.csv",
                department=pool.departments["YBJ"],
            )
            reports.append(outcome.report())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(content,)) for content in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert SharedRow.objects.count() == 2
    assert Warning.objects.filter(type="medical_burden").count() == 1
    assert sorted(r["matched"] for r in reports) == [0, 2]
    assert sorted(r["duplicates"] for r in reports) == [0, 2]
    assert sum(r["warnings_created"] for r in reports) == 1
