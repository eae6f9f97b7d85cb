"""Checks (DESIGN §3.6 Checks): the half-yearly central check export and its results (economic_check →
check_discrepancy), student_aid_missing at the 12-month edge, the annual check's reproducible sample, the
check tasks, and who may do what."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.glossary import Role
from applications.models import Application
from daye_relief.errors import DomainError, Forbidden, InvalidTransition
from households.models import Enrollment, Income
from monitoring.models import CheckTask, SharedRow, Warning
from monitoring.selectors.checks import (
    central_check_rows,
    check_tasks_open,
    half_yearly_period,
    sample_households,
)
from monitoring.services.checks import (
    check_plan_create,
    check_task_open_ad_hoc,
    check_task_record,
    half_yearly_check_run,
)
from tests.factories import HouseholdFactory, MemberFactory, user_with_role
from tests.queries import assert_flat_queries
from workdays.selectors import deadline_after

from .conftest import Pool, csv_bytes
from .test_imports import run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The central check export ---------------------------------------------------------------------------


def _csv_rows(response: Any) -> list[list[str]]:
    import csv

    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_central_export_lists_every_enrolled_members_full_id(pool: Pool) -> None:
    spouse = MemberFactory(household=pool.a1, name="柯二嫂", relation="spouse")
    client = login(pool.world.users["civil_affairs_reviewer"])
    rows = _csv_rows(client.get("/monitoring/checks/central.csv"))
    assert rows[0] == ["户编号", "姓名", "身份证号", "与申请人关系", "镇(街道)", "村(居)"]
    body = sorted(rows[1:])
    assert body == sorted(
        [
            [
                pool.a1.household_number,
                pool.member_a1.name,
                pool.member_a1.id_number,
                "申请人",
                "还地桥镇",
                "东湖村",
            ],
            [pool.a1.household_number, "柯二嫂", spouse.id_number, "配偶", "还地桥镇", "东湖村"],
            [
                pool.b1.household_number,
                pool.member_b1.name,
                pool.member_b1.id_number,
                "申请人",
                "保安镇",
                "沼山村",
            ],
        ]
    )
    # The household with no enrollment (a2) is not checked.
    assert pool.member_a2.id_number not in str(rows)

    response = client.get("/monitoring/checks/central.xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells: list[list[Any]] = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0]
    assert sorted(cells[1:]) == body  # ID numbers stay text: "…X" and leading digits intact


def test_central_export_ended_enrollment_is_left_out(pool: Pool) -> None:
    Enrollment.objects.filter(household=pool.b1).update(end_date=timezone.localdate() - timedelta(days=1))
    numbers = {row[0] for row in central_check_rows(on=timezone.localdate())}
    assert numbers == {pool.a1.household_number}


def test_central_export_reads_without_a_query_per_household(pool: Pool) -> None:
    def add_rows() -> list[str]:
        for n in range(15):
            household = HouseholdFactory(village=pool.world.village_a2, household_number=f"C-{n:03d}")
            MemberFactory(household=household, name=f"户主{n}")
            Enrollment.objects.create(
                household=household,  # type: ignore[misc]
                category="marginal",
                start_date=date(2021, 1, 1),
            )
        return [f"C-{n:03d}" for n in range(15)]

    assert_flat_queries(lambda: list(central_check_rows(on=timezone.localdate())), add_rows, read=str)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("civil_affairs_reviewer", 200),
        ("agri_bureau_reviewer", 200),
        ("administrator", 200),
        ("town_clerk", 403),
        ("town_agri_officer", 403),
        ("task_force", 403),
        ("village_staff", 403),
        ("department_user", 403),
    ],
)
def test_central_export_only_for_the_bureaus_and_the_administrator(
    pool: Pool, role: str, status: int
) -> None:
    client = login(pool.world.users[role])
    assert client.get("/monitoring/checks/central.csv").status_code == status
    assert client.get("/monitoring/checks/central.xlsx").status_code == status


def test_central_export_needs_a_login(pool: Pool) -> None:
    response = Client().get("/monitoring/checks/central.csv")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# economic_check → check_discrepancy --------------------------------------------------------------


def _check_row(member: Any, **figures: str) -> dict[str, str]:
    row = {
        "身份证号": member.id_number,
        "姓名": member.name,
        "核查日期": "",
        "核对年收入": "0",
        "金融资产": "0",
        "车辆数": "0",
        "车辆价值": "0",
        "房产数": "1",
        "工商登记": "否",
    }
    headers = {
        "annual_income": "核对年收入",
        "financial_assets": "金融资产",
        "vehicles": "车辆数",
        "vehicle_value": "车辆价值",
        "dwellings": "房产数",
        "business": "工商登记",
    }
    row.update({headers[k]: v for k, v in figures.items()})
    row.pop("核查日期")
    return row


def test_economic_check_warns_only_when_categories_change(tmp_path: Path, pool: Pool) -> None:
    Income.objects.create(member=pool.member_a1, kind="farming", annual_amount=Decimal("1200"))
    # The platform finds what is stored: no warning.
    code, report = run(
        tmp_path, "economic_check", csv_bytes([_check_row(pool.member_a1, annual_income="1200")])
    )
    assert code == 0, report
    assert report["matched"] == 1
    assert report["warnings_created"] == 0
    # A little more income, still under the 低保 standard: no warning either.
    code, report = run(
        tmp_path,
        "economic_check",
        csv_bytes([_check_row(pool.member_a1, annual_income="3000")]),
        period="2026-02",
        name="b.csv",
    )
    assert report["warnings_created"] == 0
    # Deposits far above the 低保 property limit: 低保 would go.
    content = csv_bytes([_check_row(pool.member_a1, annual_income="1200", financial_assets="500000")])
    code, report = run(tmp_path, "economic_check", content, period="2026-03", name="c.csv")
    assert report["warnings_created"] == 1
    warning = Warning.objects.get()
    assert warning.type == "check_discrepancy"
    assert warning.get_type_display() == "核对结果不符"
    assert warning.severity == "high"
    assert warning.assignee == pool.world.town_a
    assert warning.household == pool.a1
    today = timezone.localdate()
    assert warning.due_on == deadline_after(start=today, working_days=10).date
    assert warning.detail == "按集中核对结果重新测算，将不再符合：低保"
    # The same file again imports nothing; another row for the same household and period raises nothing new.
    code, again = run(tmp_path, "economic_check", content, period="2026-03", name="c.csv")
    assert again["duplicate_of"] == report["import_id"]
    code, more = run(
        tmp_path,
        "economic_check",
        csv_bytes([_check_row(pool.member_a1, annual_income="90000")]),
        period="2026-03",
        name="d.csv",
    )
    assert more["matched"] == 1
    assert more["warnings_created"] == 0
    assert Warning.objects.count() == 1


def test_economic_check_income_replaces_the_members_income(tmp_path: Path, pool: Pool) -> None:
    _code, report = run(
        tmp_path, "economic_check", csv_bytes([_check_row(pool.member_a1, annual_income="60000")])
    )
    assert report["warnings_created"] == 1
    assert "将不再符合：低保" in Warning.objects.get().detail


def test_economic_check_rows_are_checked(tmp_path: Path, pool: Pool) -> None:
    rows = [
        _check_row(pool.member_a1, vehicles="-1"),
        _check_row(pool.member_b1, business="也许"),
        {**_check_row(pool.member_b1), "核对日期": "2026-02-01"},
    ]
    content = csv_bytes(rows, header=[*rows[2].keys()])
    code, report = run(tmp_path, "economic_check", content)
    assert code == 0
    assert report["rows"] == 3
    reasons = {(r["row"], r["column"]): r["reason"] for r in report["rejected"]}
    assert reasons[(2, "车辆数")] == "车辆数不能为负数。"
    assert "不是有效的工商登记" in reasons[(3, "工商登记")]
    assert "日期晚于数据期" in reasons[(4, "核对日期")]
    assert not SharedRow.objects.exists()


def test_economic_check_row_without_a_date_is_dated_the_periods_last_day(tmp_path: Path, pool: Pool) -> None:
    run(tmp_path, "economic_check", csv_bytes([_check_row(pool.member_b1)]), period="2026-06")
    assert SharedRow.objects.get().row_date == date(2026, 6, 30)


def test_civil_affairs_reviewer_uploads_economic_check(
    pool: Pool, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from daye_relief.celery import app

    settings.MEDIA_ROOT = str(tmp_path)
    client = login(pool.world.users["civil_affairs_reviewer"])
    assert "集中核对结果" in client.get("/monitoring/").content.decode()
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/monitoring/upload/",
                {
                    "dataset": "economic_check",
                    "period": "2026-01",
                    "file": SimpleUploadedFile(
                        "核对.csv", csv_bytes([_check_row(pool.member_a1, annual_income="60000")])
                    ),
                },
            )
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 302
    assert Warning.objects.get().type == "check_discrepancy"
    # A department user may not deliver the bureau's dataset.
    dept = login(pool.dept_users["YBJ"])
    refused = dept.post(
        "/monitoring/upload/",
        {"dataset": "economic_check", "period": "2026-01", "file": SimpleUploadedFile("x.csv", b"a")},
    )
    assert refused.status_code == 400


# student_aid_missing ------------------------------------------------------------------------------


def _student(pool: Pool, level: str = "junior_secondary", **extra: object) -> Any:
    return MemberFactory(
        household=pool.a1,
        name="柯小明",
        relation="child",
        birth_date=date(2012, 3, 1),
        full_time_student=True,
        education_level=level,
        labor_capacity="none",
        **extra,
    )


def _aid(tmp_path: Path, member: Any, paid_on: str) -> None:
    row = {"id_number": member.id_number, "name": member.name, "paid_on": paid_on, "level": "初中"}
    _code, report = run(
        tmp_path,
        "student_aid",
        csv_bytes([{**row, "aid_type": "助学金", "amount": "625"}]),
        period=paid_on[:7],
        name=f"{paid_on}.csv",
    )
    assert report["matched"] == 1, report


def test_student_aid_missing_when_the_last_aid_is_exactly_twelve_months_old(
    tmp_path: Path, pool: Pool
) -> None:
    child = _student(pool)
    _aid(tmp_path, child, "2026-01-10")  # 2027-01-10 − 12 months: outside the 12 months before
    outcome = half_yearly_check_run(period="2027-01")
    assert outcome.student_aid_missing == 1
    warning = Warning.objects.get()
    assert (warning.type, warning.severity, warning.member) == ("student_aid_missing", "low", child)
    assert warning.assignee.code == "JYJ"
    assert warning.period == "2027-01"
    today = timezone.localdate()
    assert warning.due_on == deadline_after(start=today, working_days=20).date
    assert warning.detail == "初中在读，2026-01-11至2027-01-10无学生资助记录"
    # The same period again (a retry, a second worker): nothing new.
    assert half_yearly_check_run(period="2027-01").student_aid_missing == 1
    assert Warning.objects.count() == 1


def test_no_student_aid_missing_when_aid_is_within_twelve_months(tmp_path: Path, pool: Pool) -> None:
    child = _student(pool)
    _aid(tmp_path, child, "2026-01-11")
    assert half_yearly_check_run(period="2027-01").student_aid_missing == 0
    assert not Warning.objects.exists()


def test_student_aid_missing_only_for_school_levels_and_the_categories(pool: Pool) -> None:
    _student(pool, level="bachelor")  # above senior secondary
    MemberFactory(
        household=pool.b1,
        name="尹小花",
        relation="grandchild",
        birth_date=date(2009, 5, 1),
        full_time_student=True,
        education_level="secondary_vocational",
        labor_capacity="none",
    )
    rigid = HouseholdFactory(village=pool.world.village_a2)
    MemberFactory(household=rigid, name="刚户主")
    MemberFactory(
        household=rigid,
        relation="child",
        birth_date=date(2013, 5, 1),
        full_time_student=True,
        education_level="primary",
        labor_capacity="none",
    )
    Enrollment.objects.create(
        household=rigid,  # type: ignore[misc]
        category="rigid_expense",
        start_date=date(2020, 1, 1),
    )
    outcome = half_yearly_check_run(period="2027-07")
    assert outcome.student_aid_missing == 1
    member = Warning.objects.get().member
    assert member is not None
    assert member.name == "尹小花"  # the monitoring household's 中职 student


def test_half_yearly_period_and_bad_period(pool: Pool) -> None:
    assert half_yearly_period(date(2027, 1, 10)) == "2027-01"
    assert half_yearly_period(date(2027, 7, 10)) == "2027-07"
    with pytest.raises(DomainError):
        half_yearly_check_run(period="2027-03")


def test_half_yearly_task_runs_by_period(pool: Pool) -> None:
    from monitoring.tasks import half_yearly_check

    _student(pool)
    assert half_yearly_check.apply(args=("2027-01",)).get() == {
        "period": "2027-01",
        "on": "2027-01-10",
        "members": 3,
        "student_aid_missing": 1,
    }


def test_half_yearly_run_keeps_the_periods_list(pool: Pool) -> None:
    run = half_yearly_check_run(period="2027-01")
    assert run.members == 2
    reviewer = login(pool.world.users["civil_affairs_reviewer"])
    rows = _csv_rows(reviewer.get("/monitoring/checks/central/2027-01.csv"))
    assert sorted(row[2] for row in rows[1:]) == sorted([pool.member_a1.id_number, pool.member_b1.id_number])
    response = reviewer.get("/monitoring/checks/central/2027-01.xlsx")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert load_workbook(io.BytesIO(content)).worksheets[0].max_row == 3
    page = reviewer.get("/monitoring/checks/plans/").content.decode()
    assert "/monitoring/checks/central/2027-01.xlsx" in page
    assert reviewer.get("/monitoring/checks/central/2027-07.csv").status_code == 404
    for role in ("town_clerk", "department_user", "village_staff"):
        assert login(pool.world.users[role]).get("/monitoring/checks/central/2027-01.csv").status_code == 403


def test_half_yearly_run_killed_half_way_runs_again_once(pool: Pool) -> None:
    from monitoring.models import CentralCheckRun

    _student(pool)
    # A worker died after the list and before the end: the run has no finish.
    CentralCheckRun.objects.create(period="2027-01", on=date(2027, 1, 10))
    run = half_yearly_check_run(period="2027-01")
    assert (run.members, run.student_aid_missing) == (3, 1)
    assert run.finished_at is not None
    # Later enrollments change nothing for a finished period.
    _more_households(pool, 2)
    again = half_yearly_check_run(period="2027-01")
    assert (again.pk, again.members, again.finished_at) == (run.pk, 3, run.finished_at)
    assert Warning.objects.count() == 1
    assert CentralCheckRun.objects.count() == 1


# The annual check's sample ------------------------------------------------------------------------


def test_sample_is_reproducible_and_respects_each_towns_share() -> None:
    candidates = {"A": list(range(1, 101)), "B": list(range(200, 210)), "C": [300, 301, 302, 303, 304]}
    shares = {"A": Decimal("12.5"), "B": Decimal("30"), "C": Decimal("10")}
    first = sample_households(candidates, seed="2027", shares=shares)
    assert first == sample_households(candidates, seed="2027", shares=shares)
    assert [len(first[t]) for t in "ABC"] == [13, 3, 1]  # rounded up to whole households
    assert set(first["A"]) <= set(candidates["A"])
    assert first != sample_households(candidates, seed="2028", shares=shares)
    # A town's draw does not depend on the other towns'.
    assert sample_households({"B": candidates["B"]}, seed="2027", shares=shares)["B"] == first["B"]
    everything = sample_households(candidates, seed="x", shares={"A": Decimal(100), "B": Decimal(0)})
    assert everything["A"] == candidates["A"]
    assert everything["B"] == []
    assert everything["C"] == []


def _more_households(pool: Pool, n: int = 9) -> None:
    for index in range(n):
        village = pool.world.village_a2 if index % 2 else pool.world.village_b1
        household = HouseholdFactory(village=village)
        MemberFactory(household=household, name=f"抽样{index}")
        Enrollment.objects.create(
            household=household,  # type: ignore[misc]
            category="monitoring",
            start_date=date(2021, 1, 1),
        )


def test_plan_with_the_same_seed_picks_the_same_households(pool: Pool) -> None:
    _more_households(pool)
    reviewer = pool.world.users["civil_affairs_reviewer"]
    due = timezone.localdate() + timedelta(days=60)
    shares = {"420281104": "50", "420281101": "20"}
    first = check_plan_create(
        year=2027, mode="sample", seed="daye", shares=shares, due_on=due, acting_user=reviewer
    )
    second = check_plan_create(
        year=2027, mode="sample", seed="daye", shares=shares, due_on=due, acting_user=reviewer
    )
    picked = set(first.tasks.values_list("household_id", flat=True))
    assert picked == set(second.tasks.values_list("household_id", flat=True))
    # Town A holds a1 and 4 more enrolled households: 50% → 3; town B b1 and 5 more: 20% → 2.
    per_town = {code: first.tasks.filter(town__code=code).count() for code in ("420281104", "420281101")}
    assert per_town == {"420281104": 3, "420281101": 2}
    for task in first.tasks.select_related("household__village"):
        assert task.town_id == task.household.village.parent_id
        assert (task.kind, task.status, task.due_on) == ("annual", "open", due)
    assert first.seed == "daye"
    assert first.shares == {"420281104": "50", "420281101": "20"}


def test_plan_of_all_households(pool: Pool) -> None:
    _more_households(pool, 3)
    plan = check_plan_create(
        year=2027,
        mode="all",
        due_on=timezone.localdate() + timedelta(days=30),
        acting_user=pool.world.users["civil_affairs_reviewer"],
    )
    assert plan.tasks.count() == 5  # a1, b1 and three more; a2 is not enrolled
    assert not plan.tasks.filter(household=pool.a2).exists()


@pytest.mark.parametrize(
    "role", ["agri_bureau_reviewer", "town_clerk", "village_staff", "department_user", "administrator"]
)
def test_only_the_civil_affairs_reviewer_plans(pool: Pool, role: str) -> None:
    with pytest.raises(Forbidden):
        check_plan_create(
            year=2027,
            mode="all",
            due_on=timezone.localdate() + timedelta(days=30),
            acting_user=pool.world.users[role],
        )


def test_plan_page(pool: Pool) -> None:
    client = login(pool.world.users["civil_affairs_reviewer"])
    page = client.get("/monitoring/checks/plans/").content.decode()
    assert "下达年度核查" in page
    assert "半年集中核对名单" in page
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        "/monitoring/checks/plans/",
        {
            "year": 2027,
            "mode": "sample",
            "seed": "s1",
            "due_on": due,
            "share_420281104": "100",
            "share_420281101": "0",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "2027年度核查" in detail
    assert "随机种子 s1" in detail
    assert "保安镇 0%；还地桥镇 100%" in detail
    assert pool.a1.household_number in detail
    assert pool.b1.household_number not in detail
    # Refused and shown beside the form: no share at all.
    refused = client.post(
        "/monitoring/checks/plans/",
        {"year": 2027, "mode": "sample", "due_on": due, "share_420281104": "0", "share_420281101": "0"},
    )
    assert refused.status_code == 400
    assert "请至少为一个镇填写抽取比例。" in refused.content.decode()
    # The agri bureau sees plans and exports, but gets no plan form; the town and the administrator:
    ny = login(pool.world.users["agri_bureau_reviewer"]).get("/monitoring/checks/plans/").content.decode()
    assert "半年集中核对名单" in ny
    assert "下达年度核查" not in ny
    assert (
        login(pool.world.users["agri_bureau_reviewer"]).post("/monitoring/checks/plans/", {}).status_code
        == 403
    )
    assert login(pool.world.users["town_clerk"]).get("/monitoring/checks/plans/").status_code == 403
    admin = login(pool.world.users["administrator"]).get("/monitoring/checks/plans/").content.decode()
    assert "半年集中核对名单" in admin
    assert "核查计划" not in admin.split("半年集中核对名单")[1]


# Tasks: scope, results, ad hoc ---------------------------------------------------------------------


def _annual(pool: Pool) -> None:
    check_plan_create(
        year=2027,
        mode="all",
        due_on=timezone.localdate() + timedelta(days=30),
        acting_user=pool.world.users["civil_affairs_reviewer"],
    )


def test_town_sees_its_own_tasks_only(pool: Pool) -> None:
    _annual(pool)
    today = timezone.localdate()
    users = pool.world.users
    assert {t.household for t in check_tasks_open(users["town_clerk"], today)} == {pool.a1}
    assert {t.household for t in check_tasks_open(users["village_staff"], today)} == {pool.a1}
    assert {t.household for t in check_tasks_open(users["civil_affairs_reviewer"], today)} == {
        pool.a1,
        pool.b1,
    }
    assert not check_tasks_open(users["department_user"], today).exists()
    page = login(users["town_clerk"]).get("/monitoring/checks/").content.decode()
    assert pool.a1.household_number in page
    assert pool.b1.household_number not in page
    assert login(users["department_user"]).get("/monitoring/checks/").status_code == 403
    assert login(users["administrator"]).get("/monitoring/checks/").status_code == 403
    b_task = CheckTask.objects.get(household=pool.b1)
    assert login(users["town_clerk"]).get(f"/monitoring/checks/tasks/{b_task.pk}/").status_code == 404


def test_overdue_tasks_come_first_and_are_marked(pool: Pool) -> None:
    _annual(pool)
    CheckTask.objects.filter(household=pool.b1).update(due_on=timezone.localdate() - timedelta(days=1))
    tasks = list(check_tasks_open(pool.world.users["civil_affairs_reviewer"], timezone.localdate()))
    assert [(t.household, getattr(t, "overdue", None)) for t in tasks] == [(pool.b1, True), (pool.a1, False)]
    page = login(pool.world.users["civil_affairs_reviewer"]).get("/monitoring/checks/").content.decode()
    assert "已逾期" in page


def test_town_records_a_result(pool: Pool) -> None:
    _annual(pool)
    task = CheckTask.objects.get(household=pool.a1)
    users = pool.world.users
    url = f"/monitoring/checks/tasks/{task.pk}/"
    # The task force reads but does not record; village staff neither.
    assert "登记核查结果" not in login(users["task_force"]).get(url).content.decode()
    assert login(users["task_force"]).post(url, {"result": "confirmed", "note": "x"}).status_code == 403
    assert login(users["village_staff"]).post(url, {"result": "confirmed", "note": "x"}).status_code == 403
    clerk = login(users["town_clerk"])
    assert "登记核查结果" in clerk.get(url).content.decode()
    empty = clerk.post(url, {"result": "confirmed", "note": ""})
    assert empty.status_code == 400
    response = clerk.post(url, {"result": "confirmed", "note": "入户核实，收入财产与档案一致"})
    assert response.status_code == 302
    page = clerk.get(url).content.decode()
    assert "核查属实（维持）" in page
    assert "入户核实，收入财产与档案一致" in page
    task.refresh_from_db()
    assert (task.status, task.result, task.recorded_by) == ("done", "confirmed", users["town_clerk"])
    assert task.history.first().history_user == users["town_clerk"]
    with pytest.raises(InvalidTransition):
        check_task_record(task_id=task.pk, result="cancel", note="again", acting_user=users["town_clerk"])
    b_task = CheckTask.objects.get(household=pool.b1)
    with pytest.raises(Forbidden):
        check_task_record(task_id=b_task.pk, result="confirmed", note="x", acting_user=users["town_clerk"])


def test_adjust_and_cancel_open_an_adjustment_case(pool: Pool) -> None:
    _annual(pool)
    task = CheckTask.objects.get(household=pool.a1)
    officer = pool.world.users["town_agri_officer"]
    done = check_task_record(
        task_id=task.pk, result="cancel", note="家中有登记注册的企业", acting_user=officer
    )
    case = Application.objects.get(household=pool.a1)
    assert done.adjustment == case
    assert (case.kind, case.trigger, case.source, case.stage) == (
        "adjustment",
        "check",
        f"check:{task.pk}",
        "accepted",
    )
    assert case.situation == "年度核查结果：应取消（启动动态调整）。家中有登记注册的企业"
    page = login(officer).get(f"/monitoring/checks/tasks/{task.pk}/").content.decode()
    assert "应取消（启动动态调整）" in page
    assert f'已启动动态调整案件 <a href="/cases/{case.pk}/">{case.case_number}</a>' in page
    # The case's timeline names the check in words, never by its stored key.
    case_page = login(officer).get(f"/cases/{case.pk}/").content.decode()
    timeline = case_page[case_page.index('<ol class="timeline"') :]
    assert f"来源：年度核查（{task.opened_on:%Y-%m-%d}）" in timeline
    assert "check:" not in case_page
    # b1's town records "adjust": a second case, on b1.
    b_task = CheckTask.objects.get(household=pool.b1)
    clerk_b = user_with_role(Role.TOWN_CLERK, pool.world.town_b, "clerk_b")
    check_task_record(task_id=b_task.pk, result="adjust", note="务工收入增加", acting_user=clerk_b)
    assert Application.objects.get(household=pool.b1).source == f"check:{b_task.pk}"


def test_no_result_when_no_adjustment_case_can_open(pool: Pool) -> None:
    """A household with a case already running: the town continues there; nothing is recorded."""
    _annual(pool)
    task = CheckTask.objects.get(household=pool.a1)
    clerk = pool.world.users["town_clerk"]
    check_task_record(task_id=task.pk, result="adjust", note="第一次", acting_user=clerk)
    adhoc = check_task_open_ad_hoc(
        household=pool.a1, due_on=timezone.localdate(), reason="再次核查", acting_user=clerk
    )
    response = login(clerk).post(
        f"/monitoring/checks/tasks/{adhoc.pk}/", {"result": "cancel", "note": "应取消"}
    )
    assert response.status_code == 400
    assert "该家庭已有正在办理的案件" in response.content.decode()
    adhoc.refresh_from_db()
    assert (adhoc.status, adhoc.result, adhoc.adjustment) == ("open", "", None)
    assert Application.objects.filter(household=pool.a1).count() == 1


def test_town_opens_an_ad_hoc_check_from_the_household_page(pool: Pool) -> None:
    users = pool.world.users
    clerk = login(users["town_clerk"])
    household_page = clerk.get(f"/households/{pool.a1.pk}/").content.decode()
    assert "发起不定期核查" in household_page
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = clerk.post(
        f"/monitoring/checks/households/{pool.a1.pk}/open/", {"reason": "群众反映家中购置车辆", "due_on": due}
    )
    assert response.status_code == 302
    task = CheckTask.objects.get()
    assert (task.kind, task.town, task.opened_by) == ("ad_hoc", pool.world.town_a, users["town_clerk"])
    assert response["Location"] == f"/monitoring/checks/tasks/{task.pk}/"
    assert "群众反映家中购置车辆" in clerk.get(f"/households/{pool.a1.pk}/").content.decode()
    # One open ad hoc check at a time.
    again = clerk.post(f"/monitoring/checks/households/{pool.a1.pk}/open/", {"reason": "再查", "due_on": due})
    assert again.status_code == 302
    assert CheckTask.objects.count() == 1
    with pytest.raises(InvalidTransition):
        check_task_open_ad_hoc(
            household=pool.a1, due_on=timezone.localdate(), reason="再查", acting_user=users["town_clerk"]
        )
    # Another town's household: not even readable; a bureau reads it but is no town.
    assert (
        clerk.post(
            f"/monitoring/checks/households/{pool.b1.pk}/open/", {"reason": "x", "due_on": due}
        ).status_code
        == 404
    )
    bureau = login(users["civil_affairs_reviewer"])
    assert (
        bureau.post(
            f"/monitoring/checks/households/{pool.b1.pk}/open/", {"reason": "x", "due_on": due}
        ).status_code
        == 403
    )
    assert "发起不定期核查" not in bureau.get(f"/households/{pool.b1.pk}/").content.decode()
    # Village staff see the household's checks, without the form.
    village_page = login(users["village_staff"]).get(f"/households/{pool.a1.pk}/").content.decode()
    assert "群众反映家中购置车辆" in village_page
    assert "发起不定期核查" not in village_page


def test_ad_hoc_check_on_a_household_of_another_town_is_refused(pool: Pool) -> None:
    other_clerk = user_with_role(Role.TOWN_CLERK, pool.world.town_b, "clerk_b")
    with pytest.raises(Forbidden):
        check_task_open_ad_hoc(
            household=pool.a1, due_on=timezone.localdate(), reason="x", acting_user=other_clerk
        )
    task = check_task_open_ad_hoc(
        household=pool.b1, due_on=timezone.localdate(), reason="x", acting_user=other_clerk
    )
    assert task.town == pool.world.town_b


def test_task_list_reads_without_a_query_per_task(pool: Pool) -> None:
    client = login(pool.world.users["civil_affairs_reviewer"])
    _annual(pool)

    def add_rows() -> list[str]:
        _more_households(pool, 12)
        _annual(pool)
        assert CheckTask.objects.count() == 2 + 14
        sampled = CheckTask.objects.filter(household__members__name__startswith="抽样")
        return list(sampled.values_list("household__household_number", flat=True))

    assert_flat_queries(lambda: client.get("/monitoring/checks/"), add_rows)


def test_economic_check_through_the_api(pool: Pool) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.services.tokens import api_token_create

    content = csv_bytes([_check_row(pool.member_a1, annual_income="60000")])
    reviewer = login(pool.world.users["civil_affairs_reviewer"])
    response = reviewer.post(
        "/api/v1/datasets/economic_check/imports/",
        {"period": "2026-01", "file": SimpleUploadedFile("核对.csv", content)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["warnings_created"] == 1
    _token, key = api_token_create(department=pool.departments["YBJ"], name="医保")
    refused = Client().post(
        "/api/v1/datasets/economic_check/imports/",
        {"period": "2026-02", "file": SimpleUploadedFile("核对.csv", content)},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "dataset_not_yours"


@pytest.mark.parametrize(
    ("role", "plan", "task_a1", "task_b1", "tasks"),
    [
        ("civil_affairs_reviewer", 200, 200, 200, 200),
        ("agri_bureau_reviewer", 200, 200, 200, 200),
        ("town_clerk", 403, 200, 404, 200),
        ("town_agri_officer", 403, 200, 404, 200),
        ("task_force", 403, 200, 404, 200),
        ("village_staff", 403, 200, 404, 200),
        ("department_user", 403, 404, 404, 403),
        ("administrator", 403, 404, 404, 403),
    ],
)
def test_check_pages_by_role_and_scope(
    pool: Pool, role: str, plan: int, task_a1: int, task_b1: int, tasks: int
) -> None:
    _annual(pool)
    client = login(pool.world.users[role])
    plan_pk = CheckTask.objects.get(household=pool.a1).plan_id
    assert client.get(f"/monitoring/checks/plans/{plan_pk}/").status_code == plan
    for household, expected in ((pool.a1, task_a1), (pool.b1, task_b1)):
        task = CheckTask.objects.get(household=household)
        assert client.get(f"/monitoring/checks/tasks/{task.pk}/").status_code == expected
    assert client.get("/monitoring/checks/").status_code == tasks
