"""The pages: a department's upload (own datasets only, run as a task, report, rejected rows to download),
the warning list and page for the town, and who may open what."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from daye_relief.celery import app
from monitoring.models import DatasetImport, Warning
from monitoring.services.imports import dataset_import_now

from .conftest import Pool, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_eager_tasks(settings, tmp_path: Path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def upload(
    client: Client, dataset: str, content: bytes, django_capture_on_commit_callbacks, period: str = "2026-01"
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/monitoring/upload/",
            {"dataset": dataset, "period": period, "file": SimpleUploadedFile("医保.csv", content)},
        )


def mixed_file(pool: Pool) -> bytes:
    m = pool.member_a1
    return csv_bytes(
        [
            {
                "身份证号": m.id_number,
                "姓名": m.name,
                "结算日期": "2026-01-05",
                "总费用": "20000",
                "政策范围内个人自付": "11000",
            },
            {
                "身份证号": "123",
                "姓名": "错号",
                "结算日期": "2026-01-06",
                "总费用": "10",
                "政策范围内个人自付": "1",
            },
            {
                "身份证号": m.id_number,
                "姓名": m.name,
                "结算日期": "2026-02-01",
                "总费用": "10",
                "政策范围内个人自付": "1",
            },
        ],
        encoding="gbk",
    )


def test_department_desk_offers_only_its_own_datasets(pool: Pool) -> None:
    page = login(pool.dept_users["YBJ"]).get("/monitoring/").content.decode()
    assert "医疗费用（medical_expense）" in page
    assert "医疗救助（medical_assistance）" in page
    assert "死亡医学证明" not in page
    assert "失业登记" not in page


def test_department_desk_lists_its_datasets_apart(pool: Pool) -> None:
    """Issue 23.6: the names read "失业登记、就业", not "失业登记就业"."""
    page = login(pool.dept_users["RSJ"]).get("/monitoring/").content.decode()
    sentence = page.split("本部门报送的数据集：", 1)[1].split("</p>", 1)[0]
    assert re.sub(r"<[^>]+>", "", sentence) == "失业登记、就业"


def test_upload_runs_the_import_and_shows_the_report(pool: Pool, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = login(pool.dept_users["YBJ"])
    response = upload(client, "medical_expense", mixed_file(pool), django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/imports/{record.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "导入结果" in page
    assert "身份证号码应为18位，现为3位。" in page
    assert "日期晚于数据期" in page
    assert (record.rows, len(record.rejected), record.matched, record.warnings_created) == (3, 2, 1, 1)
    assert client.get(f"/monitoring/imports/{record.pk}/status/").json()["finished"] is True


def test_rejected_rows_download_and_upload_again(pool: Pool, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = login(pool.dept_users["YBJ"])
    upload(client, "medical_expense", mixed_file(pool), django_capture_on_commit_callbacks)
    record = DatasetImport.objects.get()
    text = client.get(f"/monitoring/imports/{record.pk}/rejected.csv").content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "身份证号,姓名,结算日期,总费用,政策范围内个人自付,原行号,问题列,退回原因"
    assert lines[1].startswith("123,错号,2026-01-06,10,1,3,身份证号,")
    book = load_workbook(io.BytesIO(client.get(f"/monitoring/imports/{record.pk}/rejected.xlsx").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2][:3] == (pool.member_a1.id_number, pool.member_a1.name, "2026-02-01")
    # Corrected (the date moved into the period) and uploaded again: the extra columns are ignored.
    fixed = text.replace("2026-02-01", "2026-01-31").encode("utf-8-sig")
    upload(client, "medical_expense", fixed, django_capture_on_commit_callbacks)
    again = DatasetImport.objects.order_by("-pk").first()
    assert again is not None
    assert again.matched == 1
    assert len(again.rejected) == 1


def test_upload_of_another_departments_dataset_is_a_form_error(
    pool: Pool, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    response = upload(login(pool.dept_users["YBJ"]), "death", b"x", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not DatasetImport.objects.exists()


def test_unusable_upload_shows_the_reason(pool: Pool, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = login(pool.dept_users["YBJ"])
    response = upload(
        client, "medical_expense", "身份证号,姓名\n".encode(), django_capture_on_commit_callbacks
    )
    page = client.get(response["Location"]).content.decode()
    assert (
        "文件无法导入：缺少必填列：结算日期（settled_on）、总费用（total_cost）、政策范围内个人自付（self_paid）。"
        in page
    )


@pytest.fixture
def town_warning(pool: Pool) -> Warning:
    m = pool.member_a1
    dataset_import_now(
        dataset_key="death",
        period="2026-01",
        binary=io.BytesIO(csv_bytes([{"id_number": m.id_number, "name": m.name, "died_on": "2026-01-02"}])),
        file_name="d.csv",
        department=pool.departments["WJJ"],
    )
    return Warning.objects.get()


def test_town_clerk_handles_a_warning_from_list_to_close(pool: Pool, town_warning: Warning) -> None:
    client = login(pool.world.users["town_clerk"])
    listing = client.get("/monitoring/warnings/").content.decode()
    assert "死亡" in listing
    assert pool.a1.household_number in listing
    url = f"/monitoring/warnings/{town_warning.pk}/"
    assert "签收" in client.get(url).content.decode()
    client.post(url + "acknowledge/")
    response = client.post(url + "feedback/", {"action": "no_action", "feedback": ""})
    assert response.status_code == 400
    assert "请填写无需处理的理由。" in response.content.decode()
    client.post(url + "feedback/", {"action": "reinvestigation", "feedback": "入户核实，启动动态调整"})
    page = client.get(url).content.decode()
    assert "已反馈" in page
    assert "办结预警" in page
    client.post(url + "close/", {"note": "已调整"})
    town_warning.refresh_from_db()
    assert town_warning.status == "closed"
    assert [e.to_status for e in town_warning.events.all()] == ["in_progress", "handled", "closed"]


def test_department_cannot_close_and_sees_masked_id(pool: Pool) -> None:
    m = pool.member_a1
    dataset_import_now(
        dataset_key="medical_assistance",
        period="2026-01",
        binary=io.BytesIO(
            csv_bytes(
                [
                    {
                        "id_number": m.id_number,
                        "name": m.name,
                        "paid_on": "2026-01-02",
                        "amount": "9",
                        "ratio": "10",
                    }
                ]
            )
        ),
        file_name="d.csv",
        department=pool.departments["YBJ"],
    )
    warning = Warning.objects.get()
    client = login(pool.dept_users["YBJ"])
    page = client.get(f"/monitoring/warnings/{warning.pk}/").content.decode()
    assert m.id_number not in page
    assert m.masked_id_number in page
    assert pool.a1.address not in page
    assert "家庭档案" not in page
    client.post(f"/monitoring/warnings/{warning.pk}/feedback/", {"action": "assisted", "feedback": "已补发"})
    assert client.post(f"/monitoring/warnings/{warning.pk}/close/").status_code == 403
    warning.refresh_from_db()
    assert warning.status == "handled"


def test_page_scope_matrix(pool: Pool, town_warning: Warning) -> None:
    m = pool.member_a1
    record = dataset_import_now(
        dataset_key="medical_expense",
        period="2026-01",
        binary=io.BytesIO(
            csv_bytes(
                [
                    {
                        "id_number": m.id_number,
                        "name": m.name,
                        "settled_on": "2026-01-02",
                        "total_cost": "9",
                        "self_paid": "1",
                    }
                ]
            )
        ),
        file_name="m.csv",
        department=pool.departments["YBJ"],
    ).dataset_import
    users = pool.world.users
    w = town_warning.pk
    imp = record.pk
    urls = {
        "desk": "/monitoring/",
        "import": f"/monitoring/imports/{imp}/",
        "status": f"/monitoring/imports/{imp}/status/",
        "rejected": f"/monitoring/imports/{imp}/rejected.csv",
        "warnings": "/monitoring/warnings/",
        "warning": f"/monitoring/warnings/{w}/",
    }
    expected = {
        # who: desk, import, status, rejected, warnings, warning (a town-A death warning, routed to the town)
        "YBJ": (200, 200, 200, 200, 200, 404),
        "WJJ": (200, 404, 404, 404, 200, 404),
        "town_clerk": (200, 404, 404, 404, 200, 200),
        "village_staff": (200, 404, 404, 404, 200, 200),
        "civil_affairs_reviewer": (200, 200, 200, 200, 200, 404),
        "administrator": (403, 404, 404, 404, 403, 404),
    }
    for who, codes in expected.items():
        user = pool.dept_users[who] if who in pool.dept_users else users[who]
        client = login(user)
        got = tuple(client.get(url).status_code for url in urls.values())
        assert got == codes, who
    # Town B's clerk may not act on town A's warning.
    from tests.factories import user_with_role

    clerk_b = user_with_role("town_clerk", pool.world.town_b, "clerk_b")
    assert login(clerk_b).post(f"/monitoring/warnings/{w}/acknowledge/").status_code == 404
    assert Client().get("/monitoring/").status_code == 302


def test_village_staff_see_a_warnings_member_with_a_masked_id_as_on_their_household_list(
    pool: Pool, town_warning: Warning
) -> None:
    """Village staff read their village's warnings, but full ID numbers only the town and the bureaus."""
    m = pool.member_a1
    for user, full in ((pool.world.users["village_staff"], False), (pool.world.users["town_clerk"], True)):
        client = login(user)
        for url in ("/monitoring/warnings/", f"/monitoring/warnings/{town_warning.pk}/"):
            page = client.get(url).content.decode()
            assert m.name in page
            assert (m.id_number in page) is full
            assert (m.masked_id_number in page) is not full
        answer = client.get("/api/v1/warnings/").json()
        assert answer[0]["member"]["id_number"] == (m.id_number if full else m.masked_id_number)
