"""Exports of the lists (DESIGN §3.10): the same rows as the page for the same filters, the same masking
per role, a large export as a background job whose file only its owner may download."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from daye_relief.celery import app
from desk.exports import REGISTRY, export_job_run
from desk.models import ExportJob
from desk.tasks import delete_expired_exports
from households.idnumbers import mask
from monitoring.models import Warning

from ..factories import HouseholdFactory, MemberFactory
from ..queries import assert_flat_queries
from .pilot import Pilot

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


def sheet_rows(content: bytes) -> tuple[list, list[list]]:
    """The header and the data rows of an export (row 1 is its title)."""
    rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    return rows[1], rows[2:]


def export(client: Client, key: str, query: str = "") -> tuple[list, list[list]]:
    response = client.get(f"/desk/exports/{key}.xlsx{query}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return sheet_rows(response.content)


def applicant_id(household) -> str:  # type: ignore[no-untyped-def]
    return household.members.get(relation="applicant").id_number


def test_every_list_is_registered() -> None:
    assert {"households", "enrollments", "cases", "notices", "warnings", "checks", "assistance"} <= set(
        REGISTRY
    )


def test_households_masked_per_role(world) -> None:  # type: ignore[no-untyped-def]
    a1, a2, b1 = world.household_a1, world.household_a2, world.household_b1
    header, rows = export(login(world.users["town_clerk"]), "households")
    assert header[:5] == ["户编号", "镇", "村(居)", "申请人", "身份证号码"]
    assert [(r[0], r[3], r[4]) for r in rows] == [
        (a1.household_number, "柯大山", applicant_id(a1)),
        (a2.household_number, "陈小河", applicant_id(a2)),
    ]
    # Village staff: their own village only, and the ID masked as on the page.
    _, rows = export(login(world.users["village_staff"]), "households")
    assert [(r[0], r[4]) for r in rows] == [(a1.household_number, mask(applicant_id(a1)))]
    assert applicant_id(a1) not in str(rows)
    # A bureau: the whole city, full IDs.
    _, rows = export(login(world.users["civil_affairs_reviewer"]), "households")
    assert {r[4] for r in rows} == {applicant_id(a1), applicant_id(a2), applicant_id(b1)}


def test_households_keep_the_page_filters(world) -> None:  # type: ignore[no-untyped-def]
    reviewer = login(world.users["civil_affairs_reviewer"])
    _, rows = export(reviewer, "households", f"?town={world.town_b.pk}")
    assert [r[0] for r in rows] == [world.household_b1.household_number]
    _, rows = export(reviewer, "households", "?q=陈小河")
    assert [r[3] for r in rows] == ["陈小河"]
    # The page shows the same rows for the same query string.
    page = reviewer.get("/households/?q=陈小河").content.decode()
    assert "陈小河" in page
    assert "柯大山" not in page


@pytest.mark.parametrize("role", ["department_user", "administrator"])
def test_no_household_export_without_the_list(world, role: str) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[role])
    for key in ("households", "enrollments", "cases", "notices"):
        assert client.get(f"/desk/exports/{key}.xlsx").status_code == 403
    assert client.get("/desk/exports/nothing.xlsx").status_code == 404


def test_anonymous_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/desk/exports/households.xlsx")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_cases_keep_the_stage_filter(pilot: Pilot) -> None:
    world = pilot.world
    MemberFactory(
        household=(extra := HouseholdFactory(village=world.village_a1, household_number="A1-0009")),
        name="石小满",
    )
    from ..applications.cases import accept

    open_case = accept(world, accepted_on=date(2025, 12, 1), household=extra)
    client = login(world.users["town_clerk"])
    header, rows = export(client, "cases")
    assert header[:6] == ["案件编号", "案件类型", "申请人", "镇", "村(居)", "阶段"]
    # Open cases only, as on the workbench: the filed and rejected ones are closed.
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        (open_case.case_number, "救助帮扶申请", "石小满", "受理")
    ]
    _, rows = export(client, "cases", "?stage=investigating")
    assert rows == []


def test_notices_in_the_users_villages(pilot: Pilot) -> None:
    header, rows = export(login(pilot.world.users["village_staff"]), "notices")
    assert header == [
        "公示",
        "镇",
        "村(居)",
        "状态",
        "张贴日期",
        "期满日期",
        "结束日期",
        "公示对象(户)",
        "异议(件)",
    ]
    assert [(r[2], r[3], r[7], r[8]) for r in rows] == [("东湖村", "已结束", 1, 0)]
    _, rows = export(login(pilot.world.users["town_clerk"]), "notices")
    assert sorted((r[2], r[8]) for r in rows) == [("东湖村", 0), ("西畈村", 1)]


def test_enrollments_with_the_category_filter(pilot: Pilot) -> None:
    world = pilot.world
    header, rows = export(login(world.users["civil_affairs_reviewer"]), "enrollments", "?category=monitoring")
    assert header[3] == "类别"
    assert sorted((r[0], r[3], r[4]) for r in rows) == sorted(
        [
            (world.household_a1.household_number, "防止返贫监测", "柯大山"),
            (world.household_b1.household_number, "防止返贫监测", "尹老松"),
        ]
    )
    _, rows = export(login(world.users["village_staff"]), "enrollments")
    assert {(r[3], r[5]) for r in rows} == {
        ("低保", mask(applicant_id(world.household_a1))),
        ("防止返贫监测", mask(applicant_id(world.household_a1))),
    }


def test_warnings_masked_for_a_department_and_the_status_filter(pilot: Pilot) -> None:
    world = pilot.world
    number = applicant_id(world.household_a1)
    header, rows = export(login(world.users["department_user"]), "warnings")
    assert header[:7] == ["预警", "等级", "户编号", "镇", "村(居)", "成员", "身份证号码"]
    # Only the warning routed to the department, the ID masked (DESIGN §3.6).
    assert [(r[0], r[6]) for r in rows] == [("医疗负担过重", mask(number))]
    assert number not in str(rows)
    clerk = login(world.users["town_clerk"])
    _, rows = export(clerk, "warnings")  # the page's default: not yet closed
    assert sorted((r[0], r[6], r[11]) for r in rows) == [
        ("医疗负担过重", number, "待处理"),
        ("死亡", number, "已反馈"),
    ]
    _, rows = export(clerk, "warnings", "?status=open")
    assert [r[0] for r in rows] == ["医疗负担过重"]
    # Village staff read warnings but never a full ID in an export.
    _, rows = export(login(world.users["village_staff"]), "warnings")
    assert {r[6] for r in rows} == {mask(number)}


def test_the_households_export_takes_a_fixed_number_of_queries(world) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["civil_affairs_reviewer"])

    def add_rows():
        for n in range(12):
            MemberFactory(
                household=HouseholdFactory(village=world.village_a2, household_number=f"X-{n:03d}"),
                name=f"王{n}",
            )
        return [f"X-{n:03d}" for n in range(12)]

    assert_flat_queries(lambda: client.get("/desk/exports/households.xlsx"), add_rows)


def test_a_large_export_runs_as_a_job_only_its_owner_downloads(
    pilot: Pilot,
    settings,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.DESK_EXPORT_SYNC_LIMIT = 1
    world = pilot.world
    owner = login(world.users["civil_affairs_reviewer"])
    confirm = owner.get(f"/desk/exports/households.xlsx?town={world.town_a.pk}")
    assert confirm.status_code == 200
    assert "共 <strong>2</strong> 行" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = owner.post(f"/desk/exports/households/start/?town={world.town_a.pk}")
    job = ExportJob.objects.get()
    assert started["Location"] == f"/desk/exports/jobs/{job.pk}/"
    assert job.status == "done"
    assert owner.get(f"/desk/exports/jobs/{job.pk}/status/").json() == {
        "status": "done",
        "status_label": "已完成",
        "done": 2,
        "total": 2,
        "percent": 100,
        "error": "",
    }
    assert "保留7天后自动删除" in confirm.content.decode()
    page = owner.get(f"/desk/exports/jobs/{job.pk}/").content.decode()
    assert "下载文件" in page
    assert "导出文件保留7天，之后自动删除" in page
    download = owner.get(f"/desk/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    _, rows = sheet_rows(b"".join(download.streaming_content))
    assert sorted(r[0] for r in rows) == sorted(
        [world.household_a1.household_number, world.household_a2.household_number]
    )
    # Anyone else, a bureau colleague with the same rights included, gets a 404 for the job and its file.
    for role in ("agri_bureau_reviewer", "town_clerk", "department_user"):
        other = login(world.users[role])
        for suffix in ("", "status/", "download/"):
            assert other.get(f"/desk/exports/jobs/{job.pk}/{suffix}").status_code == 404
    assert Client().get(f"/desk/exports/jobs/{job.pk}/download/").status_code == 302


def test_a_job_run_twice_gives_one_file(pilot: Pilot, settings) -> None:  # type: ignore[no-untyped-def]
    job = ExportJob.objects.create(
        owner=pilot.world.users["town_clerk"], list_key="warnings", params={"status": [""]}
    )
    first = export_job_run(job_id=job.pk)
    name = first.file.name
    again = export_job_run(job_id=job.pk)
    assert again.file.name == name
    assert (
        again.done
        == again.total
        == Warning.objects.filter(household__village__parent=pilot.world.town_a).count()
    )


def test_the_daily_job_deletes_exports_older_than_the_retention_period(pilot: Pilot, settings) -> None:  # type: ignore[no-untyped-def]
    """Issue 17.7: a file with full ID numbers does not lie on the server for ever."""
    owner = pilot.world.users["town_clerk"]
    old, recent = (
        export_job_run(
            job_id=ExportJob.objects.create(owner=owner, list_key="warnings", params={"status": [""]}).pk
        )
        for _ in range(2)
    )
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=7, minutes=1))
    ExportJob.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=6, hours=23))
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)
    assert old_path.exists()
    assert recent_path.exists()
    assert delete_expired_exports.delay().get() == 1  # as beat sends it (eager here)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old_path.exists()
    assert recent_path.exists()
    assert login(owner).get(f"/desk/exports/jobs/{old.pk}/").status_code == 404
    settings.EXPORT_RETENTION_DAYS = 3  # a deployment's own period
    assert delete_expired_exports.delay().get() == 1
    assert not ExportJob.objects.exists()


def test_the_start_of_a_job_is_refused_without_the_list(world) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["department_user"]).post("/desk/exports/households/start/")
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_each_list_page_links_its_export_with_its_filters(pilot: Pilot) -> None:
    world = pilot.world
    clerk = login(world.users["town_clerk"])
    households = clerk.get(f"/households/?village={world.village_a2.pk}").content.decode()
    assert f'href="/desk/exports/households.xlsx?village={world.village_a2.pk}"' in households
    assert f'href="/desk/exports/enrollments.xlsx?village={world.village_a2.pk}"' in households
    assert (
        'href="/desk/exports/cases.xlsx?stage=accepted"'
        in clerk.get("/cases/?stage=accepted").content.decode()
    )
    assert 'href="/desk/exports/notices.xlsx"' in clerk.get("/notices/").content.decode()
    assert (
        'href="/desk/exports/warnings.xlsx?status=open"'
        in clerk.get("/monitoring/warnings/?status=open").content.decode()
    )


def test_typed_text_is_never_a_formula(world) -> None:  # type: ignore[no-untyped-def]
    household = HouseholdFactory(village=world.village_a1, household_number="420281104201-0777")
    MemberFactory(household=household, name="=HYPERLINK(1)")
    response = login(world.users["town_clerk"]).get("/desk/exports/households.xlsx?q=HYPERLINK")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["D3"].value == "=HYPERLINK(1)"
    assert sheet["D3"].data_type == "s"


def test_check_tasks_keep_the_status_tab(world) -> None:  # type: ignore[no-untyped-def]
    from monitoring.models import CheckTask

    for household, status in (
        (world.household_a1, "open"),
        (world.household_a2, "done"),
        (world.household_b1, "open"),
    ):
        CheckTask.objects.create(
            kind="ad_hoc",
            household=household,
            town=household.village.parent,
            opened_on=date(2025, 11, 3),
            due_on=date(2025, 11, 10),
            status=status,
            reason="不定期核查",
        )
    clerk = login(world.users["town_clerk"])
    header, rows = export(clerk, "checks")  # the page's default tab: 待核查
    assert header[:2] == ["核查", "户编号"]
    assert [(r[1], r[8]) for r in rows] == [(world.household_a1.household_number, "待核查")]
    _, rows = export(clerk, "checks", "?status=all")
    assert sorted(r[1] for r in rows) == sorted(
        [world.household_a1.household_number, world.household_a2.household_number]
    )
    assert (
        'href="/desk/exports/checks.xlsx?status=all"'
        in clerk.get("/monitoring/checks/?status=all").content.decode()
    )


def test_assistance_keeps_the_page_filters_and_masks_for_village_staff(pilot: Pilot) -> None:
    world = pilot.world
    reviewer = login(world.users["civil_affairs_reviewer"])
    header, rows = export(reviewer, "assistance", "?kind=temporary")
    assert header[:7] == ["救助日期", "镇", "村(居)", "户编号", "救助对象", "身份证号码", "救助类型"]
    assert [(r[4], r[5], r[6], str(r[7])) for r in rows] == [
        ("尹老松", applicant_id(world.household_b1), "临时救助", "500")
    ]
    _, rows = export(reviewer, "assistance", "?start=2025-09-01&end=2025-09-30")
    assert [r[6] for r in rows] == ["社会力量帮扶"]
    _, rows = export(login(world.users["village_staff"]), "assistance")
    assert [(r[4], r[5]) for r in rows] == [("柯大山", mask(applicant_id(world.household_a1)))]
    page = reviewer.get("/households/assistance/?kind=temporary").content.decode()
    assert 'href="/desk/exports/assistance.xlsx?kind=temporary"' in page


def test_needs_in_scope_with_the_status_filter(pilot: Pilot) -> None:
    world = pilot.world
    reviewer = login(world.users["civil_affairs_reviewer"])
    header, rows = export(reviewer, "needs", "?status=met")
    assert header[:5] == ["登记日期", "镇", "村(居)", "户编号", "成员"]
    assert [(r[3], r[4], r[7]) for r in rows] == [(world.household_b1.household_number, "全户", "已帮扶")]
    _, rows = export(reviewer, "needs", "?status=open")
    assert rows == []
    _, rows = export(login(world.users["town_clerk"]), "needs")
    assert rows == []  # 还地桥镇 has recorded no need
    assert (
        'href="/desk/exports/needs.xlsx?status=met"'
        in reviewer.get("/social/needs/?status=met").content.decode()
    )
