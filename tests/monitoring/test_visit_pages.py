"""The visit and risk-elimination pages: what each role sees and may do, in its scope."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from households.models import Enrollment
from monitoring.models import RiskReview, Visit, Warning
from tests.conftest import World
from tests.queries import assert_flat_queries

from .test_risk import assess, visit

pytestmark = pytest.mark.django_db

ROLES = (
    "town_clerk",
    "town_agri_officer",
    "task_force",
    "village_staff",
    "civil_affairs_reviewer",
    "agri_bureau_reviewer",
    "department_user",
    "administrator",
)


def login(world: World, key: str) -> Client:
    client = Client()
    client.force_login(world.users[key])
    return client


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.fixture
def enrolled(world: World) -> World:
    for household in (world.household_a1, world.household_a2, world.household_b1):
        Enrollment.objects.create(household=household, category="dibao", start_date=date(2025, 1, 1))
    return world


@pytest.mark.parametrize(
    ("key", "status", "sees"),
    [
        ("village_staff", 200, {"420281104201-0001"}),
        ("town_clerk", 200, {"420281104201-0001", "420281104202-0001"}),
        ("task_force", 200, {"420281104201-0001", "420281104202-0001"}),
        ("civil_affairs_reviewer", 200, {"420281104201-0001", "420281104202-0001", "420281101201-0001"}),
        ("department_user", 403, set()),
        ("administrator", 403, set()),
    ],
)
def test_the_due_and_overdue_list_by_role(enrolled: World, key: str, status: int, sees: set[str]) -> None:
    response = login(enrolled, key).get("/monitoring/visits/")
    assert response.status_code == status
    if status == 200:
        body = text(response)
        assert "应巡访家庭" in body
        shown = {n for n in ("420281104201-0001", "420281104202-0001", "420281101201-0001") if n in body}
        assert shown == sees
        assert "逾期未巡访" in body


def test_the_list_filters_by_village_and_status_and_pages(enrolled: World) -> None:
    client = login(enrolled, "town_clerk")
    body = text(client.get(f"/monitoring/visits/?village={enrolled.village_a2.pk}&status=overdue"))
    assert "420281104202-0001" in body
    assert "420281104201-0001" not in body
    # another town's village is ignored, not shown
    body = text(client.get(f"/monitoring/visits/?village={enrolled.village_b1.pk}"))
    assert "420281101201-0001" not in body
    assert "（2 户，其中逾期 2 户）" in body


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("village_staff", 200),
        ("town_clerk", 200),
        ("town_agri_officer", 200),
        ("task_force", 403),
        ("civil_affairs_reviewer", 403),
        ("agri_bureau_reviewer", 403),
        ("department_user", 404),
        ("administrator", 404),
    ],
)
def test_who_opens_the_visit_form(world: World, key: str, status: int) -> None:
    response = login(world, key).get(f"/monitoring/households/{world.household_a1.pk}/visits/new/")
    assert response.status_code == status
    if status == 200:
        body = text(response)
        for label in (
            "巡访日期",
            "入户",
            "邻里走访",
            "吃不愁",
            "穿不愁",
            "义务教育保障",
            "基本医疗保障",
            "住房安全保障",
            "饮水安全",
        ):
            assert label in body


def test_out_of_scope_households_are_not_found(world: World) -> None:
    assert (
        login(world, "village_staff")
        .get(f"/monitoring/households/{world.household_a2.pk}/visits/new/")
        .status_code
        == 404
    )
    assert (
        login(world, "town_clerk")
        .get(f"/monitoring/households/{world.household_b1.pk}/visits/new/")
        .status_code
        == 404
    )


def form_data(**overrides: str) -> dict[str, str]:
    data = {"visited_on": timezone.localdate().isoformat(), "method": "home", "visitors": "柯主任、王会计"}
    for key in ("food", "clothing", "education", "medical", "housing", "water"):
        data[key] = "secure"
        data[f"{key}_note"] = ""
    data.update(overrides)
    return data


def test_recording_a_visit_with_a_concern_flags_the_town(world: World) -> None:
    client = login(world, "village_staff")
    url = f"/monitoring/households/{world.household_a1.pk}/visits/new/"
    refused = client.post(url, form_data(water="not_secure"))
    assert refused.status_code == 400
    assert "“饮水安全”无保障，请说明具体情况。" in text(refused)
    assert not Visit.objects.exists()
    response = client.post(url, form_data(water="not_secure", water_note="井水浑浊"), follow=True)
    body = text(response)
    assert "已保存巡访记录。饮水安全无保障，已向镇里发出巡访预警。" in body
    assert "无保障：井水浑浊" in body
    warning = Warning.objects.get()
    assert warning.type == "visit_concern"
    # the town sees the flag on its warning list, and the warning leads to the visit
    assert "巡访发现问题" in text(login(world, "town_clerk").get("/monitoring/warnings/"))
    page = text(login(world, "town_clerk").get(f"/monitoring/warnings/{warning.pk}/"))
    assert "饮水安全无保障" in page
    assert f"/monitoring/visits/{Visit.objects.get().pk}/" in page
    # the household page shows the visit through the panel
    page = text(login(world, "town_clerk").get(f"/households/{world.household_a1.pk}/"))
    assert "巡访" in page
    assert "饮水安全无保障" in page
    # another town does not see the visit
    v = Visit.objects.get()
    assert login(world, "village_staff").get(f"/monitoring/visits/{v.pk}/").status_code == 200
    other = Client()
    from tests.factories import user_with_role

    other.force_login(user_with_role("town_clerk", world.town_b, "clerk_b"))
    assert other.get(f"/monitoring/visits/{v.pk}/").status_code == 404


# Risk elimination -----------------------------------------------------------------------------------


@pytest.fixture
def candidate(world: World) -> World:
    today = timezone.localdate()
    household = world.household_a1
    Enrollment.objects.create(household=household, category="monitoring", start_date=date(2024, 1, 1))
    assess(household, today - timedelta(days=200), "9000.00")
    assess(household, today - timedelta(days=1), "9100.00")
    visit(household, today - timedelta(days=10))
    return world


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("town_clerk", 200),
        ("town_agri_officer", 200),
        ("task_force", 200),
        ("agri_bureau_reviewer", 200),
        ("village_staff", 403),
        ("civil_affairs_reviewer", 403),
        ("department_user", 403),
        ("administrator", 403),
    ],
)
def test_who_sees_the_candidates(candidate: World, key: str, status: int) -> None:
    response = login(candidate, key).get(f"/monitoring/risk/?town={candidate.town_a.pk}")
    assert response.status_code == status
    if status == 200:
        body = text(response)
        assert "风险消除候选 · 还地桥镇" in body
        assert "候选：收入持续稳定超过监测标准" in body
        assert ("录入集体研判" in body) is (key in ("task_force", "town_agri_officer"))
    assert login(candidate, key).get("/monitoring/risk/reviews/").status_code == status


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("task_force", 200),
        ("town_agri_officer", 200),
        ("town_clerk", 403),
        ("agri_bureau_reviewer", 403),
        ("village_staff", 403),
    ],
)
def test_who_records_the_review(candidate: World, key: str, status: int) -> None:
    assert login(candidate, key).get("/monitoring/risk/reviews/new/").status_code == status


def test_review_filing_and_acknowledgement_through_the_pages(candidate: World) -> None:
    household = candidate.household_a1
    town = login(candidate, "task_force")
    refused = town.post(
        "/monitoring/risk/reviews/new/",
        {"town": candidate.town_a.pk, "held_on": timezone.localdate().isoformat(), "participants": "王镇长"},
    )
    assert refused.status_code == 400
    assert "请至少对一户候选家庭作出研判结论。" in text(refused)
    response = town.post(
        "/monitoring/risk/reviews/new/",
        {
            "town": candidate.town_a.pk,
            "held_on": timezone.localdate().isoformat(),
            "participants": "王镇长、李专班",
            f"decision_{household.pk}": "eliminate",
        },
        follow=True,
    )
    body = text(response)
    assert "已保存集体研判结论，请报市农业农村局备案。" in body
    assert "已研判，待报备" in body
    review = RiskReview.objects.get()
    # the clerk reads it but may not file it
    clerk = login(candidate, "town_clerk")
    assert "报市农业农村局备案</button>" not in text(clerk.get(f"/monitoring/risk/reviews/{review.pk}/"))
    assert clerk.post(f"/monitoring/risk/reviews/{review.pk}/file/").status_code == 403
    assert "已报市农业农村局备案。" in text(
        town.post(f"/monitoring/risk/reviews/{review.pk}/file/", follow=True)
    )
    bureau = login(candidate, "agri_bureau_reviewer")
    assert "还地桥镇" in text(bureau.get("/monitoring/risk/reviews/"))  # its queue: filed ones
    assert town.post(f"/monitoring/risk/reviews/{review.pk}/acknowledge/").status_code == 403
    body = text(bureau.post(f"/monitoring/risk/reviews/{review.pk}/acknowledge/", follow=True))
    assert "已确认风险消除，相关家庭的防返贫监测已结束。" in body
    assert "市农业农村局已确认" in body
    enrollment = Enrollment.objects.get(household=household, category="monitoring")
    assert enrollment.end_reason == "risk_eliminated"
    assert enrollment.end_date == timezone.localdate()
    # another town's staff do not find it
    from tests.factories import user_with_role

    other = Client()
    other.force_login(user_with_role("task_force", candidate.town_b, "taskforce_b"))
    assert other.get(f"/monitoring/risk/reviews/{review.pk}/").status_code == 404


def test_the_printed_review_record(candidate: World) -> None:
    town = login(candidate, "task_force")
    town.post(
        "/monitoring/risk/reviews/new/",
        {
            "town": candidate.town_a.pk,
            "held_on": timezone.localdate().isoformat(),
            "participants": "王镇长、李专班",
            f"decision_{candidate.household_a1.pk}": "eliminate",
            f"reason_{candidate.household_a1.pk}": "连续两次测算收入稳定",
        },
    )
    review = RiskReview.objects.get()
    response = town.get(f"/monitoring/risk/reviews/{review.pk}/print.pdf")
    assert response["Content-Type"] == "application/pdf"
    out = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    squeezed = "".join(out.split())
    assert "防止返贫监测对象风险消除集体研判记录" in squeezed
    assert "王镇长、李专班" in squeezed
    assert "420281104201-0001" in squeezed
    assert "连续两次测算收入稳定" in squeezed
    assert (
        login(candidate, "village_staff").get(f"/monitoring/risk/reviews/{review.pk}/print.pdf").status_code
        == 403
    )


# A visit with a concern opens an adjustment case ------------------------------------------------------


def test_the_town_clerk_opens_an_adjustment_from_a_visit_with_a_concern(enrolled: World) -> None:
    from applications.models import Application

    household = enrolled.household_a1
    concern = visit(household, timezone.localdate(), medical="not_secure")
    Visit.objects.filter(pk=concern.pk).update(medical_note="慢性病药费负担重")
    secure = visit(household, timezone.localdate())
    village = login(enrolled, "village_staff")
    assert "发起动态调整" not in text(village.get(f"/monitoring/visits/{concern.pk}/"))
    assert village.post(f"/monitoring/visits/{concern.pk}/adjust/").status_code == 403
    clerk = login(enrolled, "town_clerk")
    assert "发起动态调整" not in text(clerk.get(f"/monitoring/visits/{secure.pk}/"))
    assert "发起动态调整</button>" in text(clerk.get(f"/monitoring/visits/{concern.pk}/"))
    response = clerk.post(f"/monitoring/visits/{concern.pk}/adjust/", follow=True)
    case = Application.objects.get(household=household)
    assert case.kind == "adjustment"
    assert case.trigger == "visit"
    assert case.source == f"visit:{concern.pk}"
    assert "基本医疗保障无保障（慢性病药费负担重）" in case.situation
    assert f"已发起动态调整案件 {case.case_number}。" in text(response)
    # the case names the visit it came from, with a link for the clerk
    assert f'href="/monitoring/visits/{concern.pk}/"' in text(response)
    body = text(clerk.get(f"/monitoring/visits/{concern.pk}/"))
    assert "已据此发起动态调整：" in body
    assert case.case_number in body
    # once only
    again = clerk.post(f"/monitoring/visits/{concern.pk}/adjust/", follow=True)
    assert f"已根据这次巡访发起动态调整（{case.case_number}）。" in text(again)
    assert Application.objects.filter(household=household).count() == 1
    # another town's clerk cannot see it
    from tests.factories import user_with_role

    other = Client()
    other.force_login(user_with_role("town_clerk", enrolled.town_b, "clerk_b2"))
    assert other.post(f"/monitoring/visits/{concern.pk}/adjust/").status_code == 404


def test_the_list_page_makes_no_query_per_household_and_shows_the_weekly_summary(enrolled: World) -> None:
    from monitoring.services.visits import overdue_visits_summarize
    from tests.factories import HouseholdFactory, MemberFactory

    client = login(enrolled, "town_clerk")

    def fetch() -> Any:
        response = client.get("/monitoring/visits/")
        assert response.status_code == 200
        return response

    def add() -> list[str]:
        numbers = []
        for _ in range(25):
            household = HouseholdFactory(village=enrolled.village_a2)
            MemberFactory(household=household)
            Enrollment.objects.create(household=household, category="monitoring", start_date=date(2025, 1, 1))
            numbers.append(household.household_number)
        return numbers

    assert_flat_queries(fetch, add)
    overdue_visits_summarize(on=timezone.localdate())
    body = text(client.get("/monitoring/visits/"))
    assert "本周逾期巡访周报" in body
    assert "还地桥镇西畈村</td><td>26</td>" in body
    assert "保安镇" not in body  # another town's village is not in the clerk's summary


@pytest.mark.parametrize(
    ("key", "visits", "risk"),
    [
        ("village_staff", True, False),
        ("town_clerk", True, True),
        ("task_force", True, True),
        ("agri_bureau_reviewer", True, True),
        ("civil_affairs_reviewer", True, False),
        ("department_user", False, False),
    ],
)
def test_the_menu_names_the_pages_each_role_may_open(
    world: World, key: str, visits: bool, risk: bool
) -> None:
    body = text(login(world, key).get("/"))
    assert ('href="/monitoring/visits/">巡访</a>' in body) is visits
    assert ('href="/monitoring/risk/">风险消除</a>' in body) is risk


def test_the_list_exports_to_xlsx_with_the_same_filters(enrolled: World) -> None:
    from openpyxl import load_workbook

    client = login(enrolled, "town_clerk")
    response = client.get(f"/monitoring/visits/export.xlsx?village={enrolled.village_a2.pk}&status=overdue")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "镇",
        "村(居)",
        "户编号",
        "巡访周期（月）",
        "上次巡访",
        "纳入日期",
        "应巡访日期",
        "状态",
    ]
    assert [row[:4] + row[7:] for row in rows[1:]] == [
        ["还地桥镇", "西畈村", "420281104202-0001", 3, "逾期未巡访"]
    ]
    assert login(enrolled, "department_user").get("/monitoring/visits/export.xlsx").status_code == 403
    village_rows = load_workbook(
        io.BytesIO(login(enrolled, "village_staff").get("/monitoring/visits/export.xlsx").content)
    ).active
    assert [row[2].value for row in village_rows.iter_rows(min_row=2)] == ["420281104201-0001"]
