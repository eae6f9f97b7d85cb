"""The pilot evaluation (plan 三(三)): its figures against the hand-counted half year of conftest.pilot,
read as the bureaus read them: the PDF's text (pdftotext), the XLSX cells, the page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from applications.glossary import Stage
from desk import stats
from desk.evaluation import evaluation_build, evaluation_pdf, evaluation_xlsx
from desk.evaluation_figures import Period

from ..applications.cases import accept, advance
from .pilot import PERIOD, Pilot
from .pilot import _warning as warning

pytestmark = pytest.mark.django_db

HALF = Period(*PERIOD)
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def figures(evaluation) -> dict[str, tuple]:
    """label (with its measure number where the label repeats) → (now, before)."""
    out = {}
    for measure in evaluation.measures:
        for row in measure.rows:
            out.setdefault(row.label, (row.now, row.before))
            out[f"{measure.number} {row.label}"] = (row.now, row.before)
    return out


def test_the_period_before_is_the_same_number_of_whole_months_or_days() -> None:
    assert HALF.before() == Period(date(2025, 1, 1), date(2025, 6, 30))
    assert Period(date(2025, 1, 1), date(2025, 12, 31)).before() == Period(
        date(2024, 1, 1), date(2024, 12, 31)
    )
    assert Period(date(2025, 3, 10), date(2025, 3, 19)).before() == Period(
        date(2025, 2, 28), date(2025, 3, 9)
    )


def test_city_figures_match_the_hand_count(pilot: Pilot) -> None:
    e = evaluation_build(user=pilot.world.users["civil_affairs_reviewer"], period=HALF, town=None)
    f = figures(e)
    assert e.scope_name == "大冶市（全市）"
    assert e.before_has_data  # 保安镇's case was accepted in March
    assert f["受理申请"] == (2, 1)
    assert f["作出审批决定的申请"] == (2, 1)
    assert f["其中批准"] == (1, 1)
    assert f["其中不予批准"] == (1, 0)
    assert f["一次申请认定两个及以上类别"] == (1, 1)
    assert f["防止返贫监测与其他类别重复并标识"] == (1, 1)
    assert f["批准纳入低保"] == (1, 1)
    assert f["批准纳入防止返贫监测"] == (1, 1)
    assert f["批准纳入特困"] == (0, 0)
    assert f["完成入户调查"] == (2, 1)
    assert f["调查组2人以上"] == (2, 1)
    assert f["张贴公示"] == (2, 0)
    assert f["公示无异议"] == (1, 0)
    assert f["有异议重新调查"] == (1, 0)
    assert f["收到异议"] == (1, 0)
    assert f["报送市民政局备案"] == (1, 1)
    assert f["市民政局已确认"] == (1, 0)
    assert f["报送市农业农村局标识"] == (1, 1)
    assert f["市农业农村局已确认"] == (0, 0)
    assert f["两局均已确认的案件"] == (0, 0)
    assert f["产生预警"] == (3, 0)
    assert f["推送至行业部门"] == (1, 0)
    assert f["已反馈处理"] == (2, 0)
    assert f["按期反馈处理"] == (1, 0)
    assert str(f["按期处理比例"][0]) == "33.3"
    assert f["期末逾期未处理"] == (1, 0)
    assert f["获得救助帮扶的人员"] == (2, 0)
    assert f["涉及家庭"] == (2, 0)
    assert str(f["救助金额"][0]) == "1300.00"
    assert f["医疗救助"] == (1, 0)
    assert f["临时救助"] == (1, 0)
    assert f["已事后补充说明"] == (0, 0)
    assert f["社会力量帮扶"] == (1, 0)
    assert f["受帮扶家庭"] == (1, 0)
    assert f["登记的家庭帮扶需求"] == (1, 0)
    assert f["已对接"] == (1, 0)
    assert f["在服务的志愿者(服务队)"] == (1, 1)
    assert f["在服务的慈善项目"] == (0, 0)
    assert f["报送数据的部门"] == (1, 0)
    assert f["市医保局：报送数据行"] == (10, 0)
    assert f["市医保局：匹配到监测对象"] == (1, 0)
    assert f["退出原因：收入超过标准"] == (1, 0)
    assert f["期末在册：低保"][0] == 1  # 东湖村; 沼山村's ended in November
    assert f["期末在册：防止返贫监测"][0] == 2


def test_a_town_sees_its_own_figures_and_no_period_before_without_data(pilot: Pilot) -> None:
    clerk = pilot.world.users["town_clerk"]
    # Asking for the other town gives the clerk's own town.
    e = evaluation_build(user=clerk, period=HALF, town=pilot.world.town_b)
    f = figures(e)
    assert e.scope_name == "还地桥镇"
    assert not e.before_has_data
    assert f["受理申请"] == (2, None)
    assert f["产生预警"] == (2, None)
    assert f["按期反馈处理"] == (1, None)
    assert str(f["按期处理比例"][0]) == "50.0"
    assert f["市医保局：报送数据行"] == (10, None)  # deliveries are city-wide
    assert f["退出原因：收入超过标准"] == (0, None)
    assert f["临时救助"] == (0, None)
    assert f["在服务的志愿者(服务队)"] == (0, None)  # it serves 保安镇 only


def test_the_bureau_may_choose_a_town(pilot: Pilot) -> None:
    e = evaluation_build(user=pilot.world.users["agri_bureau_reviewer"], period=HALF, town=pilot.world.town_b)
    f = figures(e)
    assert e.scope_name == "保安镇"
    assert f["受理申请"] == (0, 1)
    assert f["产生预警"] == (1, 0)
    assert f["按期反馈处理"] == (0, 0)


def test_the_pdf_reads_as_the_report(pilot: Pilot, tmp_path) -> None:
    e = evaluation_build(user=pilot.world.users["civil_affairs_reviewer"], period=HALF, town=None)
    path = tmp_path / "report.pdf"
    path.write_bytes(evaluation_pdf(e))
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    for words in (
        "“两项政策”衔接并轨试点评估报告",
        "评估范围：大冶市（全市）",
        "本期：2025年7月1日至2025年12月31日",
        "上期：2025年1月1日至2025年6月30日",
        "一、工作目标（方案一）",
        "兜住、兜准、兜牢基本民生底线",
        "二（一） 标准体系衔接并轨：统一对标确定对象（一次申请、分类审核）",
        "二（三）3 工作体系衔接并轨：同期公示",
        "尚未填报的工作措施",
        "线下核查",
    ):
        assert words in flat, words
    assert re.search(r"一次申请认定两个及以上类别\s+件\s+1\s+1", text)
    assert re.search(r"受理申请\s+件\s+2\s+1", text)
    assert re.search(r"按期处理比例\s+%\s+33\.3\s+—", text)
    assert re.search(r"救助金额\s+元\s+1300\.00\s+0\.00", text)


def test_the_xlsx_holds_the_figures_as_numbers(pilot: Pilot) -> None:
    e = evaluation_build(user=pilot.world.users["civil_affairs_reviewer"], period=HALF, town=None)
    sheet = load_workbook(io.BytesIO(evaluation_xlsx(e))).active
    rows = {(r[0], str(r[1]).strip("　")): r for r in sheet.iter_rows(values_only=True) if r and len(r) >= 5}
    assert sheet["A1"].value == "“两项政策”衔接并轨试点评估报告"
    assert rows[("二（一）", "一次申请认定两个及以上类别")][2:5] == ("件", 1, 1)
    assert rows[("二（三）1", "受理申请")][2:5] == ("件", 2, 1)
    assert rows[("二（二）1", "产生预警")][2:5] == ("条", 3, 0)
    assert rows[("二（二）1", "按期处理比例")][3] == pytest.approx(33.3)
    assert rows[("二（二）1", "按期处理比例")][4] == "—"
    assert rows[("二（四）1", "市医保局：报送数据行")][3:5] == (10, 0)


def test_the_figures_take_a_fixed_number_of_queries(pilot: Pilot) -> None:
    user = pilot.world.users["civil_affairs_reviewer"]
    evaluation_build(user=user, period=HALF, town=None)  # the user's scope is read once, then cached
    with CaptureQueriesContext(connection) as few:
        before = figures(evaluation_build(user=user, period=HALF, town=None))
    from ..factories import HouseholdFactory, MemberFactory

    for n in range(3):
        household = HouseholdFactory(village=pilot.world.village_a1, household_number=f"EXTRA-{n}")
        MemberFactory(household=household, name=f"柯{n}山")
        advance(
            pilot.world, accept(pilot.world, accepted_on=date(2025, 11, 3), household=household), Stage.FILED
        )
    with CaptureQueriesContext(connection) as more:
        after = figures(evaluation_build(user=user, period=HALF, town=None))
    assert len(more) == len(few)
    # the three cases added are counted, so the flat count is not that of an empty report
    assert after["受理申请"][0] == before["受理申请"][0] + 3
    assert after["作出审批决定的申请"][0] == before["作出审批决定的申请"][0] + 3


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


QUERY = "?start=2025-07-01&end=2025-12-31"


def test_the_page_and_its_files_for_a_reviewer(pilot: Pilot) -> None:
    client = login(pilot.world.users["civil_affairs_reviewer"])
    page = client.get("/desk/evaluation/" + QUERY).content.decode()
    assert "一次申请认定两个及以上类别" in page
    assert "下载评估报告（PDF）" in page
    pdf = client.get("/desk/evaluation/report.pdf" + QUERY)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get("/desk/evaluation/report.xlsx" + QUERY + f"&town={pilot.world.town_b.pk}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == "保安镇"


def test_the_default_period_is_the_year_to_date(pilot: Pilot) -> None:
    page = login(pilot.world.users["town_clerk"]).get("/desk/evaluation/").content.decode()
    assert "还地桥镇" in page
    assert "年1月1日至" in page


@pytest.mark.parametrize("role", ["village_staff", "department_user", "administrator"])
def test_others_may_not_read_the_evaluation(pilot: Pilot, role: str) -> None:
    client = login(pilot.world.users[role])
    assert client.get("/desk/evaluation/" + QUERY).status_code == 403
    assert client.get("/desk/evaluation/report.pdf" + QUERY).status_code == 403


def test_a_period_ending_before_it_starts_is_refused(pilot: Pilot) -> None:
    response = login(pilot.world.users["town_clerk"]).get("/desk/evaluation/?start=2025-12-31&end=2025-07-01")
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_adjustments_are_counted_apart_from_applications(world) -> None:  # type: ignore[no-untyped-def]
    """An enrolled family gets a child (2025-10-09): the adjustment raises its 低保 (decided 2025-10-20)."""
    from decimal import Decimal

    from ..applications.adjust import enroll, family, member, open_change, to_decision

    household = family(world)
    enroll(world, household, "dibao", amount=Decimal("183.00"))
    enroll(world, household, "monitoring")
    baby = member(household, "柯小宝", "child", date(2025, 9, 1))
    to_decision(world, open_change(world, household, "birth", baby))
    f = figures(evaluation_build(user=world.users["town_clerk"], period=HALF, town=None))
    assert f["受理申请"] == (0, 0)
    assert f["启动动态调整案件"] == (1, 0)
    assert f["调整起因：家庭成员变化"] == (1, 0)
    assert f["作出调整决定"] == (1, 0)
    assert f["调整结果：增发"] == (1, 0)
    assert f["调整结果：不变"] == (1, 0)
    assert f["调整结果：取消"] == (0, 0)


def test_check_tasks_given_done_and_late(world) -> None:  # type: ignore[no-untyped-def]
    """还地桥镇: an annual check given 2025-08-01 due 08-31, confirmed 08-20; an ad hoc one given 2025-11-03
    due 11-10, still open. 保安镇: an annual one given 2025-08-01, to be adjusted 09-05 (late)."""
    from monitoring.models import CheckTask

    common = {"opened_by": world.users["town_clerk"], "reason": "年度核查"}
    CheckTask.objects.create(
        kind="annual",
        household=world.household_a1,
        town=world.town_a,
        opened_on=date(2025, 8, 1),
        due_on=date(2025, 8, 31),
        status="done",
        result="confirmed",
        recorded_on=date(2025, 8, 20),
        **common,
    )
    CheckTask.objects.create(
        kind="ad_hoc",
        household=world.household_a2,
        town=world.town_a,
        opened_on=date(2025, 11, 3),
        due_on=date(2025, 11, 10),
        **common,
    )
    CheckTask.objects.create(
        kind="annual",
        household=world.household_b1,
        town=world.town_b,
        opened_on=date(2025, 8, 1),
        due_on=date(2025, 8, 31),
        status="done",
        result="adjust",
        recorded_on=date(2025, 9, 5),
        **common,
    )
    city = figures(evaluation_build(user=world.users["civil_affairs_reviewer"], period=HALF, town=None))
    assert city["下达核查任务"][0] == 3
    assert city["年度核查"][0] == 2
    assert city["不定期核查"][0] == 1
    assert city["完成核查"][0] == 2
    assert city["按期完成"][0] == 1
    assert city["核查结果：核查属实（维持）"][0] == 1
    assert city["核查结果：需调整（启动动态调整）"][0] == 1
    assert city["期末逾期未完成"][0] == 1
    town = figures(evaluation_build(user=world.users["town_clerk"], period=HALF, town=None))
    assert (town["下达核查任务"][0], town["完成核查"][0], town["按期完成"][0]) == (2, 1, 1)


def test_visits_and_risk_elimination(world) -> None:  # type: ignore[no-untyped-def]
    """还地桥镇: two visits to 东湖村's family (2025-08-05 all secure, 2025-11-05 housing not secure) and one
    to 西畈村's (2025-03-10, the half year before)."""
    from monitoring.models import Visit

    items = {f"{item}": "secure" for item in ("food", "clothing", "education", "medical", "housing", "water")}
    common = {"method": "home", "visitors": "柯书记、陈主任", "recorded_by": world.users["village_staff"]}
    Visit.objects.create(household=world.household_a1, visited_on=date(2025, 8, 5), **items, **common)
    Visit.objects.create(
        household=world.household_a1,
        visited_on=date(2025, 11, 5),
        **{**items, "housing": "not_secure"},
        **common,
    )
    Visit.objects.create(household=world.household_a2, visited_on=date(2025, 3, 10), **items, **common)
    f = figures(evaluation_build(user=world.users["town_clerk"], period=HALF, town=None))
    assert f["巡访探视"] == (2, 1)
    assert f["巡访覆盖家庭"] == (1, 1)
    assert f["发现“两不愁三保障”或饮水安全无保障"] == (1, 0)
    assert f["标注风险消除（市农业农村局已确认）"] == (0, 0)


def test_investigations_by_video_are_counted(pilot: Pilot) -> None:
    """Only an investigation whose methods include 视频调查 counts (not one that merely mentions a reason)."""
    from applications.models import Investigation

    reviewer = pilot.world.users["civil_affairs_reviewer"]
    before = figures(evaluation_build(user=reviewer, period=HALF, town=None))["采用视频调查（记录原因）"]
    investigation = Investigation.objects.filter(completed_on__range=PERIOD).first()
    assert investigation is not None
    investigation.methods = [*investigation.methods, "video"]
    investigation.video_reason = "申请人外出务工"
    investigation.save()
    Investigation.objects.exclude(pk=investigation.pk).update(video_reason="误填的原因")
    after = figures(evaluation_build(user=reviewer, period=HALF, town=None))["采用视频调查（记录原因）"]
    assert after == (before[0] + 1, before[1])


def test_handled_on_time_is_one_figure_on_the_dashboard_and_in_the_evaluation(pilot: Pilot) -> None:
    """Issue 23.4: the same warnings give the same share on both pages, and both say how it is counted.
    Of three warnings this year, one handled on time, one late and one not yet due: 1 of 2 (the one not
    yet due can still be handled on time, so it counts neither way) — not 1 of 3, nor 1 of 1."""
    world = pilot.world
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    household = world.household_a1
    warning(world, household, raised=today, due=today + timedelta(days=10))
    warning(world, household, raised=start, due=start + timedelta(days=7), handled=start + timedelta(days=3))
    warning(world, household, raised=start, due=start + timedelta(days=7), handled=start + timedelta(days=9))
    reviewer = world.users["civil_affairs_reviewer"]
    e = evaluation_build(user=reviewer, period=Period(start, today), town=None)
    assert str(figures(e)["按期处理比例"][0]) == "50.0"
    rows = stats.warnings_by_type(stats.stats_scope(reviewer), start, today, today)
    assert [(row.raised, row.on_time, row.on_time_share) for row in rows] == [(3, 1, "50.0%")]
    client = Client()
    client.force_login(reviewer)
    dashboard = client.get(f"/desk/dashboard/?date_from={start}&date_to={today}").content.decode()
    assert "<td>50.0%</td>" in dashboard
    report = client.get(f"/desk/evaluation/?start={start}&end={today}").content.decode()
    assert ">50.0<" in report
    for page in (dashboard, report):
        assert "÷ 已反馈或已到期的预警（未到期且未反馈的不计入）" in page
